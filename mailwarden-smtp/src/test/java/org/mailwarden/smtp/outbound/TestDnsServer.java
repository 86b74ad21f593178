package org.mailwarden.smtp.outbound;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1 for tests, built on dnsjava's message classes:
 * answers from the records a test adds (NXDOMAIN for unknown names, NODATA for a known name without the
 * type asked), and misbehaves on request: SERVFAIL, truncated answers (with no TCP to retry over), or
 * garbage bytes. Records have TTL 0 so that nothing is cached between tests.
 */
final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> truncated = ConcurrentHashMap.newKeySet();
    private final Set<Name> garbage = ConcurrentHashMap.newKeySet();
    private final Thread loop;

    TestDnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        loop = Thread.ofPlatform().daemon().name("test-dns").start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The {@code dns.servers} setting that points at this server. */
    String setting() {
        return "127.0.0.1:" + port();
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void add(Record r) {
        records.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
    }

    TestDnsServer mx(String domain, int preference, String host) {
        add(new MXRecord(name(domain), DClass.IN, 0, preference, host.equals(".") ? Name.root : name(host)));
        return this;
    }

    TestDnsServer a(String host, String address) throws IOException {
        add(new ARecord(name(host), DClass.IN, 0, InetAddress.getByName(address)));
        return this;
    }

    TestDnsServer aaaa(String host, String address) throws IOException {
        add(new AAAARecord(name(host), DClass.IN, 0, InetAddress.getByName(address)));
        return this;
    }

    TestDnsServer cname(String alias, String target) {
        add(new CNAMERecord(name(alias), DClass.IN, 0, name(target)));
        return this;
    }

    TestDnsServer servfail(String n) {
        servfail.add(name(n));
        return this;
    }

    TestDnsServer truncated(String n) {
        truncated.add(name(n));
        return this;
    }

    TestDnsServer garbage(String n) {
        garbage.add(name(n));
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] reply = answer(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(byte[] query) throws IOException {
        Message q = new Message(query);
        Record question = q.getQuestion();
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        r.addRecord(question, Section.QUESTION);
        Name n = question.getName();
        if (garbage.contains(n)) {
            byte[] wire = r.toWire();
            return java.util.Arrays.copyOf(wire, 7);
        }
        if (servfail.contains(n)) {
            r.getHeader().setRcode(Rcode.SERVFAIL);
            return r.toWire();
        }
        if (truncated.contains(n)) {
            r.getHeader().setFlag(Flags.TC);
            return r.toWire();
        }
        List<Record> known = records.get(n);
        if (known == null) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            r.addRecord(soa(), Section.AUTHORITY);
            return r.toWire();
        }
        boolean any = false;
        for (Record rec : known) {
            if (rec.getType() == question.getType() || rec.getType() == Type.CNAME) {
                r.addRecord(rec, Section.ANSWER);
                any = true;
            }
        }
        if (!any) {
            r.addRecord(soa(), Section.AUTHORITY);
        }
        return r.toWire();
    }

    private static SOARecord soa() {
        return new SOARecord(name("test"), DClass.IN, 0, name("ns.test"), name("hostmaster.test"), 1, 3600, 600, 86400, 0);
    }

    @Override
    public void close() {
        socket.close();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
