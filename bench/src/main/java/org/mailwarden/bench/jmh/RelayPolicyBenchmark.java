package org.mailwarden.bench.jmh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailwarden.core.address.MailAddress;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.core.policy.RelayDecision;
import org.mailwarden.core.policy.RelayMode;
import org.mailwarden.core.policy.RelayPolicy;
import org.mailwarden.core.policy.RelayRequest;
import org.mailwarden.core.policy.RelayRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The relay decision at RCPT TO: the common case (a local recipient, decided by the first restriction)
 * and the longest path (a foreign recipient from an unknown client, refused only by the last
 * restriction after every address list was searched), with a realistic rule set of 20 ranges per list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RelayPolicyBenchmark {

    private final RelayPolicy policy = new RelayPolicy();
    private RelayRequest local;
    private RelayRequest foreignRefused;
    private RelayRequest allowedClient;

    @Setup
    public void setUp() throws UnknownHostException {
        List<IpRange> allowed = new ArrayList<>();
        List<IpRange> never = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            allowed.add(IpRange.parse("10." + i + ".0.0/16"));
            never.add(IpRange.parse("2001:db8:" + Integer.toHexString(i) + "::/48"));
        }
        RelayRules rules = new RelayRules(true, allowed, List.of(IpRange.parse("192.0.2.1/32")), never, RelayMode.RESTRICTED);
        InetAddress stranger = InetAddress.getByName("198.51.100.23");
        InetAddress listener = InetAddress.getByName("203.0.113.1");
        local = new RelayRequest(stranger, listener, null, false, new MailAddress("alice", "example.test"), true, true, rules);
        foreignRefused = new RelayRequest(stranger, listener, null, false, new MailAddress("bob", "elsewhere.example"), false, false, rules);
        allowedClient = new RelayRequest(InetAddress.getByName("10.19.4.5"), listener, null, false,
                new MailAddress("bob", "elsewhere.example"), false, false, rules);
    }

    @Benchmark
    public RelayDecision localRecipient() {
        return policy.decide(local);
    }

    @Benchmark
    public RelayDecision foreignRecipientRefused() {
        return policy.decide(foreignRefused);
    }

    @Benchmark
    public RelayDecision allowedClientRelays() {
        return policy.decide(allowedClient);
    }
}
