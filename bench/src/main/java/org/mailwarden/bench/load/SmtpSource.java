package org.mailwarden.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mailwarden.bench.client.ProtocolException;
import org.mailwarden.bench.servers.Endpoint;

/**
 * Postfix's {@code smtp-source} as the plain-SMTP load generator: the same program with the same
 * parameters against every server. It opens {@code sessions} connections in parallel and sends
 * {@code messages} messages in all, one message per connection (its default), each with
 * {@code payload} bytes after the headers. Without {@code -A} it stops at the first reply that is not
 * the expected one, so exit status 0 means every message got its 250.
 */
public final class SmtpSource {

    private SmtpSource() {
    }

    /** Runs smtp-source and returns the wall-clock seconds it took; a failure quotes its output. */
    public static double run(Endpoint endpoint, int sessions, int messages, int payload, String recipient, Duration limit)
            throws IOException, InterruptedException {
        List<String> command = List.of("smtp-source", "-s", Integer.toString(sessions), "-m", Integer.toString(messages),
                "-l", Integer.toString(payload), "-M", "loadgen.test", "-f", "loadgen@loadgen.test", "-t", recipient,
                endpoint.host() + ":" + endpoint.port());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        long start = System.nanoTime();
        // read the (small) output on a virtual thread so a chatty failure cannot block the process
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process was killed: what was read is enough for the message
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new ProtocolException("smtp-source did not finish within " + limit.toSeconds() + " s");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        reader.join(5000);
        if (p.exitValue() != 0) {
            String out = output.toString().trim();
            String last = out.isEmpty() ? "(no output)" : out.substring(out.lastIndexOf('\n') + 1);
            throw new ProtocolException("smtp-source exited with status " + p.exitValue() + ": " + last);
        }
        return seconds;
    }
}
