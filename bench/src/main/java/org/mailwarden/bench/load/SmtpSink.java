package org.mailwarden.bench.load;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.mailwarden.bench.servers.Endpoint;

/**
 * Postfix's {@code smtp-sink}: an SMTP server that answers every command and stores nothing. What
 * smtp-source reaches against it is the protocol ceiling of this machine for a given case, the rate no
 * storing server can beat. Started and stopped by the benchmark as its own child process.
 */
public final class SmtpSink implements AutoCloseable {

    private final Process process;

    private SmtpSink(Process process) {
        this.process = process;
    }

    public static SmtpSink start(Endpoint endpoint) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("smtp-sink", "-u", "nobody", "-m", "1000", endpoint.host() + ":" + endpoint.port(), "1024")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 200);
                return new SmtpSink(p);
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IOException("smtp-sink exited with status " + p.exitValue() + " (is port " + endpoint.port() + " taken?)");
                }
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IOException("smtp-sink did not listen on " + endpoint + " within 10 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
