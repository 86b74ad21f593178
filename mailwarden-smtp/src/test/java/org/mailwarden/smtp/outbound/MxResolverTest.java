package org.mailwarden.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MX resolution against a real DNS server on loopback. */
class MxResolverTest {

    private TestDnsServer dns;
    private MxResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = new TestDnsServer();
        resolver = new MxResolver(List.of(new OutboundSettings.DnsServer("127.0.0.1", dns.port())));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private MxResolver.Resolution resolve(String domain) {
        return resolver.mailHosts(domain, 2525, "mx.mailwarden.test");
    }

    private static List<String> hops(MxResolver.Resolution r) {
        assertThat(r).isInstanceOf(MxResolver.Hosts.class);
        return ((MxResolver.Hosts) r).hops().stream().map(NextHop::toString).toList();
    }

    private static DeliveryResult failure(MxResolver.Resolution r) {
        assertThat(r).isInstanceOf(MxResolver.Failure.class);
        return ((MxResolver.Failure) r).result();
    }

    @Test
    void mxHostsComeByPreferenceWithTheirIpv4ThenIpv6Addresses() throws IOException {
        dns.mx("remote.test", 20, "backup.remote.test").mx("remote.test", 10, "primary.remote.test")
                .a("primary.remote.test", "127.0.0.2").aaaa("primary.remote.test", "::1")
                .a("backup.remote.test", "127.0.0.3");
        assertThat(hops(resolve("remote.test"))).containsExactly("primary.remote.test[127.0.0.2]:2525",
                "primary.remote.test[::1]:2525", "backup.remote.test[127.0.0.3]:2525");
    }

    @Test
    void equalPreferencesAreTriedInRandomOrder() throws IOException {
        dns.mx("remote.test", 10, "a.remote.test").mx("remote.test", 10, "b.remote.test").mx("remote.test", 5, "first.remote.test")
                .a("a.remote.test", "127.0.0.2").a("b.remote.test", "127.0.0.3").a("first.remote.test", "127.0.0.4");
        Set<String> seconds = new HashSet<>();
        for (int i = 0; i < 40 && seconds.size() < 2; i++) {
            List<String> order = hops(resolve("remote.test"));
            assertThat(order.getFirst()).startsWith("first.remote.test");
            seconds.add(order.get(1));
        }
        assertThat(seconds).hasSize(2);
    }

    @Test
    void aDomainWithoutMxIsItsOwnMailHost() throws IOException {
        dns.a("plain.test", "127.0.0.5");
        assertThat(hops(resolve("plain.test"))).containsExactly("plain.test[127.0.0.5]:2525");
    }

    @Test
    void aNullMxOrAMissingDomainFailsForGood() throws IOException {
        dns.mx("nomail.test", 0, ".").a("nomail.test", "127.0.0.6");
        DeliveryResult nullMx = failure(resolve("nomail.test"));
        assertThat(nullMx.kind()).isEqualTo(DeliveryResult.Kind.FAILED);
        assertThat(nullMx.text()).startsWith("5.1.10 ").contains("null MX");

        DeliveryResult missing = failure(resolve("nowhere.test"));
        assertThat(missing.kind()).isEqualTo(DeliveryResult.Kind.FAILED);
        assertThat(missing.text()).startsWith("5.1.2 ").contains("does not exist");

        dns.cname("www.empty.test", "empty.test").mx("other.test", 10, "mx.other.test").a("mx.other.test", "127.0.0.7");
        dns.aaaa("v6only.test", "::1");
        assertThat(hops(resolve("v6only.test"))).containsExactly("v6only.test[::1]:2525");
    }

    @Test
    void brokenDnsAnswersDefer() {
        dns.servfail("broken.test").truncated("big.test").garbage("junk.test").cname("loop1.test", "loop2.test")
                .cname("loop2.test", "loop1.test").mx("lame.test", 10, "gone.lame.test").mx("lame2.test", 10, "mx.broken.test")
                .servfail("mx.broken.test");
        for (String domain : List.of("broken.test", "big.test", "junk.test", "loop1.test", "lame.test", "lame2.test")) {
            DeliveryResult r = failure(resolve(domain));
            assertThat(r.kind()).as(domain + ": " + r.text()).isEqualTo(DeliveryResult.Kind.DEFERRED);
            assertThat(r.text()).as(domain).startsWith("4.4.");
        }
    }

    @Test
    void anMxPointingAtThisServerIsALoop() throws IOException {
        dns.mx("loopy.test", 10, "mx.mailwarden.test").a("mx.mailwarden.test", "127.0.0.1");
        DeliveryResult r = failure(resolve("loopy.test"));
        assertThat(r.kind()).isEqualTo(DeliveryResult.Kind.FAILED);
        assertThat(r.text()).startsWith("5.4.6 ");
    }
}
