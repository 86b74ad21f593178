package org.mailwarden.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mailwarden.bench.measure.Stats;

/**
 * The result of one benchmark run as a Markdown document: a header with the machine, versions and
 * options, one table per section (each figure for mailwarden and the peer, the ratio, and the load
 * average), the JMH table, and the list of what could not be measured and why.
 */
public final class Report {

    private final List<String> header = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String[]> jmh = new ArrayList<>();
    private final Set<String> missing = new LinkedHashSet<>();
    private final Map<String, List<String>> extras = new LinkedHashMap<>();

    public synchronized void header(String line) {
        header.add(line);
    }

    public synchronized void add(Row row) {
        rows.add(row);
    }

    /** A JMH result line: benchmark, parameters, score, error, unit. */
    public synchronized void jmh(String benchmark, String params, double score, double error, String unit) {
        jmh.add(new String[] {benchmark, params, number(score), Double.isFinite(error) ? "± " + number(error) : "", unit});
    }

    /** A free-form section (a profile, say), printed after the tables. */
    public synchronized void section(String title, List<String> lines) {
        extras.put(title, List.copyOf(lines));
    }

    /** Something the run could not measure, with the reason; returns false when it was already reported. */
    public synchronized boolean missing(String what) {
        return missing.add(what);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    public synchronized String markdown() {
        StringBuilder md = new StringBuilder();
        for (String h : header) {
            md.append(h).append('\n');
        }
        Map<String, List<Row>> sections = new LinkedHashMap<>();
        for (Row r : rows) {
            sections.computeIfAbsent(r.section(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Row>> section : sections.entrySet()) {
            md.append("\n## ").append(section.getKey()).append("\n\n");
            boolean withCeiling = section.getValue().stream().anyMatch(r -> !r.ceiling().isEmpty());
            md.append("| scenario | metric | mailwarden | peer | peer figure | mw/peer | mw better? |");
            md.append(withCeiling ? " ceiling (smtp-sink) |" : "").append(" load avg | runs (mw; peer) | note |\n");
            md.append("|---|---|---:|---|---:|---:|:---:|").append(withCeiling ? "---:|" : "").append("---:|---|---|\n");
            for (Row r : section.getValue()) {
                Boolean better = r.mailwardenBetter();
                md.append("| ").append(r.scenario())
                        .append(" | ").append(r.metric().name()).append(" (").append(r.metric().unit()).append(", ")
                        .append(r.metric().higherIsBetter() ? "higher" : "lower").append(" is better)")
                        .append(" | ").append(number(r.mailwardenMedian()))
                        .append(" | ").append(r.peerName())
                        .append(" | ").append(number(r.peerMedian()))
                        .append(" | ").append(Double.isFinite(r.ratio()) ? String.format(Locale.ROOT, "%.2f", r.ratio()) : "n/a")
                        .append(" | ").append(better == null ? "" : better ? "yes" : "no");
                if (withCeiling) {
                    md.append(" | ").append(number(r.ceilingMedian()));
                }
                md.append(" | ").append(loads(r.load()))
                        .append(" | ").append(values(r.mailwarden())).append("; ").append(values(r.peer()))
                        .append(" | ").append(r.note() == null ? "" : r.note().replace("|", "/"))
                        .append(" |\n");
            }
        }
        if (!jmh.isEmpty()) {
            md.append("\n## JMH (hot paths, mailwarden only)\n\n| benchmark | parameters | score | error | unit |\n|---|---|---:|---:|---|\n");
            for (String[] j : jmh) {
                md.append("| ").append(String.join(" | ", j)).append(" |\n");
            }
        }
        for (Map.Entry<String, List<String>> extra : extras.entrySet()) {
            md.append("\n## ").append(extra.getKey()).append("\n\n");
            for (String line : extra.getValue()) {
                md.append(line).append('\n');
            }
        }
        if (!missing.isEmpty()) {
            md.append("\n## Not measured\n\n");
            for (String m : missing) {
                md.append("- ").append(m).append('\n');
            }
        }
        return md.toString();
    }

    private static String loads(List<Double> loads) {
        double[] range = Stats.range(loads);
        if (!Double.isFinite(range[0])) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f–%.1f", range[0], range[1]);
    }

    private static String values(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        List<String> s = new ArrayList<>();
        for (double v : values) {
            s.add(number(v));
        }
        return String.join(" ", s);
    }

    /** Three significant figures at most, thousands without separators so columns stay narrow. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
