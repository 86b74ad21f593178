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

    /** Samples counted, the top self-time methods and the top mailwarden frames. */
    public record Summary(long samples, List<Hot> self, List<Hot> mailwarden) {
    }

    private JfrProfile() {
    }

    public static Summary read(Path recording, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> own = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0)), 1L, Long::sum);
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith("org.mailwarden.")) {
                        own.merge(name(f), 1L, Long::sum);
                        break;
                    }
                }
            }
        }
        return new Summary(samples, top(self, samples, top), top(own, samples, top));
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
        return md;
    }
}
