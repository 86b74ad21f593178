import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailwarden.core.account.PasswordHasher;
import org.mailwarden.core.account.StoredPassword;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.io.MessageContent;
import org.mailwarden.core.net.Listener;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.pop3.Pop3Service;
import org.mailwarden.store.AcceptRequest;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * The POP3 service alone, for RETR measurements: a SQLite store in DATA_DIR where small@bench.test holds
 * SMALL_COUNT messages of SMALL_SIZE octets and large@bench.test one message of LARGE_SIZE octets (text
 * lines, some starting with a dot, generated on the fly so the server never holds a body), POP3 on
 * 127.0.0.1:PORT (plain text allowed) and POP3S on PORT+1. Every 20 ms it prints "heap EPOCH_MS USED_BYTES"
 * so a script can read the heap in use during a given RETR.
 *
 * usage: java -cp CLASSPATH bench/Pop3BenchServer.java DATA_DIR PORT SMALL_COUNT SMALL_SIZE LARGE_SIZE
 */
public class Pop3BenchServer {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int smallCount = Integer.parseInt(args[2]);
        int smallSize = Integer.parseInt(args[3]);
        long largeSize = Long.parseLong(args[4]);
        Files.createDirectories(data);
        Store store = Stores.open(StorageConfig.sqlite(data));
        store.domains().add("bench.test", null);
        StoredPassword password = StoredPassword.derive(new PasswordHasher(), "bench-secret");
        long small = store.accounts().add("small", "bench.test", password.passwordHash(), password.scramSha256()).id();
        long large = store.accounts().add("large", "bench.test", password.passwordHash(), password.scramSha256()).id();
        store.settings().set("pop3.allow_plaintext", "on");
        AtomicInteger ids = new AtomicInteger();
        for (int i = 0; i < smallCount; i++) {
            deliver(store, small, new TextMessage(smallSize, i), ids);
        }
        deliver(store, large, new TextMessage(largeSize, -1), ids);

        TlsSupport tls = TlsSupport.open(data.resolve("cert.pem"), data.resolve("key.pem"), "mx.bench.test");
        Pop3Service pop3 = Pop3Service.create(store, "mx.bench.test", tls::context);
        Listener plain = Listener.builder("pop3", new InetSocketAddress("127.0.0.1", port), pop3.handler(ListenerRole.POP3))
                .build();
        Listener implicit = Listener.builder("pop3s", new InetSocketAddress("127.0.0.1", port + 1),
                pop3.handler(ListenerRole.POP3S)).implicitTls(tls::context).build();
        plain.start();
        implicit.start();
        System.out.println("listening on " + plain.localAddress() + " and " + implicit.localAddress());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        while (true) {
            System.out.println("heap " + System.currentTimeMillis() + " " + memory.getHeapMemoryUsage().getUsed());
            Thread.sleep(20);
        }
    }

    private static void deliver(Store store, long account, MessageContent content, AtomicInteger ids) {
        store.accept(new AcceptRequest("B" + ids.incrementAndGet(), "load@remote.example", content,
                List.of(new AcceptRequest.LocalDelivery(account, "INBOX")), null, List.of(), false, null, null));
    }

    /** A message of exactly {@code size} octets: a header, then 78-octet text lines, every 20th starting with a dot. */
    record TextMessage(long size, int seed) implements MessageContent {
        @Override
        public InputStream open() {
            byte[] header = ("From: load@remote.example\r\nSubject: bench " + seed + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            return new InputStream() {
                private long pos;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (pos >= size) {
                        return -1;
                    }
                    int n = (int) Math.min(len, size - pos);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = at(pos + i);
                    }
                    pos += n;
                    return n;
                }

                private byte at(long p) {
                    if (p >= size - 2) {
                        return (byte) (p == size - 2 ? '\r' : '\n');
                    }
                    if (p < header.length) {
                        return header[(int) p];
                    }
                    long q = p - header.length;
                    long line = q / 80;
                    int col = (int) (q % 80);
                    if (col == 78) {
                        return '\r';
                    }
                    if (col == 79) {
                        return '\n';
                    }
                    if (col == 0 && line % 20 == 0) {
                        return '.';
                    }
                    return (byte) ('a' + (line + col) % 26);
                }
            };
        }
    }
}
