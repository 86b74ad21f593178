package org.mailwarden.reliability.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The figures a reliability test reports (trials, messages acknowledged, lost, connections held...): one
 * line each on standard output and appended to {@code target/reliability-figures.txt}, which the scripts
 * under {@code tests/} print at the end of a run.
 */
public final class Figures {

    private static final Path FILE = Path.of("target", "reliability-figures.txt");

    private Figures() {
    }

    public static void record(String test, String figures) {
        String line = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + test + ": " + figures;
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
