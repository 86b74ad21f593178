package org.mailwarden.smtp.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real command-line SMTP client (Python smtplib, swaks) and captures what it printed. */
final class ExternalClient {

    /** How a client run ended. */
    record Result(int exitCode, String output) {
    }

    private ExternalClient() {
    }

    static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out;
        try (InputStream o = p.getInputStream()) {
            out = o.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("client did not finish: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Python's smtplib through src/test/resources/smtp_client.py. */
    static Result python(int port, String mode, String sourceIp, String user, String password, String from,
                         String to, String message) throws IOException, InterruptedException {
        Path script = Files.createTempFile("smtp_client", ".py");
        try (InputStream in = ExternalClient.class.getResourceAsStream("/smtp_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            return run(List.of("python3", script.toString(), "127.0.0.1", String.valueOf(port), mode, sourceIp, user,
                    password, from, to), message);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    static boolean swaksInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/swaks"));
    }
}
