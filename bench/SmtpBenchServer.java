import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.mailwarden.core.config.ListenerRole;
import org.mailwarden.core.config.StorageConfig;
import org.mailwarden.core.net.ConnectionLimiter;
import org.mailwarden.core.net.ConnectionLimits;
import org.mailwarden.core.net.Listener;
import org.mailwarden.core.net.TlsSupport;
import org.mailwarden.smtp.server.SmtpService;
import org.mailwarden.store.Store;
import org.mailwarden.store.Stores;

/**
 * The SMTP accept path alone, for load tests: a SQLite store in DATA_DIR with the domain bench.test and
 * the account sink, the MTA listener on 127.0.0.1:PORT with a self-signed certificate for STARTTLS.
 *
 * usage: java -cp CLASSPATH bench/SmtpBenchServer.java DATA_DIR PORT
 */
public class SmtpBenchServer {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Files.createDirectories(data);
        Store store = Stores.open(StorageConfig.sqlite(data));
        if (store.domains().find("bench.test").isEmpty()) {
            store.domains().add("bench.test", null);
            store.accounts().add("sink", "bench.test", "unused", "unused");
        }
        TlsSupport tls = TlsSupport.open(data.resolve("cert.pem"), data.resolve("key.pem"), "mx.bench.test");
        SmtpService smtp = new SmtpService(store, "mx.bench.test", tls::context, data.resolve("spool"), Set.of());
        Listener listener = Listener.builder("smtp", new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])),
                        smtp.handler(ListenerRole.SMTP))
                .limiter(new ConnectionLimiter(new ConnectionLimits(1000, 200))).build();
        listener.start();
        System.out.println("listening on " + listener.localAddress());
        Thread.currentThread().join();
    }
}
