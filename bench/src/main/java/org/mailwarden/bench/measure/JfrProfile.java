package org.mailwarden.bench.measure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where mailwarden's CPU time went during a run, from a JDK Flight Recorder file: the methods most often
 * on top of the stack in execution samples (self time), and for each sample the first mailwarden frame
 * (the mailwarden code that spent the time, itself or in the libraries it called).
 */
public final class JfrProfile {

    /** A method and its share of the samples in percent. */
    public record Hot(String method, double percent) {
    }

    /** Events of one blocking kind above the recording's threshold: how many and their total duration. */
    public record Blocking(String event, long count, double totalMillis) {
    }

    /** Samples counted, the top self-time methods, the top mailwarden frames, the waits by kind and by place. */
    public record Summary(long samples, List<Hot> self, List<Hot> mailwarden, List<Blocking> blocking, List<Blocking> waitSites) {
    }

    /** The waits that take a server's wall-clock time without using CPU: disk flushes, I/O, locks, GC. */
    private static final List<String> BLOCKING = List.of("jdk.FileForce", "jdk.FileWrite", "jdk.FileRead", "jdk.SocketRead",
            "jdk.SocketWrite", "jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.VirtualThreadPinned", "jdk.GarbageCollection");

    private JfrProfile() {
    }

    /** The summary of all {@code recordings} together (one per measured run). */
    public static Summary read(List<Path> recordings, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> own = new HashMap<>();
        Map<String, long[]> waits = new HashMap<>();
        Map<String, long[]> sites = new HashMap<>();
        long samples = 0;
        for (Path recording : recordings) {
            try (RecordingFile file = new RecordingFile(recording)) {
                while (file.hasMoreEvents()) {
                    RecordedEvent e = file.readEvent();
                    String type = e.getEventType().getName();
                    if (BLOCKING.contains(type)) {
                        add(waits, type, e);
                        RecordedFrame site = firstMailwardenFrame(e.getStackTrace());
                        if (site != null) {
                            add(sites, type.substring(4) + " in " + name(site), e);
                        }
                    }
                    if (!type.equals("jdk.ExecutionSample")) {
                        continue;
                    }
                    RecordedStackTrace stack = e.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    self.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
                    RecordedFrame first = firstMailwardenFrame(stack);
                    if (first != null) {
                        own.merge(name(first), 1L, Long::sum);
                    }
                }
            }
        }
        List<Blocking> blocking = new ArrayList<>();
        for (String type : BLOCKING) {
            long[] w = waits.get(type);
            if (w != null) {
                blocking.add(new Blocking(type, w[0], w[1] / 1e6));
            }
        }
        List<Blocking> waitSites = sites.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(top)
                .map(en -> new Blocking(en.getKey(), en.getValue()[0], en.getValue()[1] / 1e6)).toList();
        return new Summary(samples, top(self, samples, top), top(own, samples, top), blocking, waitSites);
    }

    private static void add(Map<String, long[]> into, String key, RecordedEvent e) {
        long[] w = into.computeIfAbsent(key, k -> new long[2]);
        w[0]++;
        w[1] += e.getDuration().toNanos();
    }

    private static RecordedFrame firstMailwardenFrame(RecordedStackTrace stack) {
        if (stack == null) {
            return null;
        }
        for (RecordedFrame f : stack.getFrames()) {
            if (f.isJavaFrame() && f.getMethod().getType().getName().startsWith("org.mailwarden.")) {
                return f;
            }
        }
        return null;
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + " (" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static List<Hot> top(Map<String, Long> counts, long samples, int top) {
        List<Hot> hot = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(en -> hot.add(new Hot(en.getKey(), 100.0 * en.getValue() / samples)));
        return hot;
    }

    /** The summary as Markdown lines. */
    public static List<String> markdown(Summary s) {
        List<String> md = new ArrayList<>();
        md.add(String.format(Locale.ROOT, "%d execution samples.", s.samples()));
        md.add("");
        md.add("| self time: method on top of the stack | % | | first mailwarden frame on the stack | % |");
        md.add("|---|---:|---|---|---:|");
        for (int i = 0; i < Math.max(s.self().size(), s.mailwarden().size()); i++) {
            Hot a = i < s.self().size() ? s.self().get(i) : null;
            Hot b = i < s.mailwarden().size() ? s.mailwarden().get(i) : null;
            md.add("| " + (a == null ? "" : "`" + a.method() + "`") + " | " + (a == null ? "" : String.format(Locale.ROOT, "%.1f", a.percent()))
                    + " | | " + (b == null ? "" : "`" + b.method() + "`") + " | " + (b == null ? "" : String.format(Locale.ROOT, "%.1f", b.percent())) + " |");
        }
        if (!s.blocking().isEmpty()) {
            md.add("");
            md.add("Waits recorded (disk flushes of any length, other waits from 1 ms, all GC pauses; a socket read is usually the server waiting for its client):");
            md.add("");
            md.add("| event | count | total ms |");
            md.add("|---|---:|---:|");
            for (Blocking b : s.blocking()) {
                md.add(String.format(Locale.ROOT, "| %s | %d | %.0f |", b.event(), b.count(), b.totalMillis()));
            }
        }
        if (!s.waitSites().isEmpty()) {
            md.add("");
            md.add("| wait, in the first mailwarden frame on the stack | count | total ms |");
            md.add("|---|---:|---:|");
            for (Blocking b : s.waitSites()) {
                md.add(String.format(Locale.ROOT, "| `%s` | %d | %.0f |", b.event(), b.count(), b.totalMillis()));
            }
        }
        return md;
    }
}
