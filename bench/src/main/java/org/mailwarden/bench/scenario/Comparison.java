package org.mailwarden.bench.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailwarden.bench.measure.MachineInfo;
import org.mailwarden.bench.report.Metric;
import org.mailwarden.bench.report.Report;
import org.mailwarden.bench.report.Row;
import org.mailwarden.bench.servers.Service;
import org.mailwarden.bench.servers.Target;

/**
 * Runs one case on both sides, interleaved A B A B (plus the ceiling C when there is one) so that a
 * change in the machine's load hits both alike, and adds one {@link Row} per metric to the report with
 * every repetition's value. A side whose service is not available is skipped and the reason reported;
 * a run that fails counts as NaN with its error in the note, and the other runs still count.
 */
public final class Comparison {

    /** One run of a case on one side; returns one value per metric, in the order the metrics were given. */
    @FunctionalInterface
    public interface Measure {
        double[] run(Target target) throws Exception;
    }

    /**
     * Brackets every measured run of mailwarden (not its preparation, warm-up or the peer's runs), e.g.
     * with a flight recording, so that a profile shows the measured work alone.
     */
    public interface RunObserver {
        void before() throws Exception;

        void after() throws Exception;
    }

    private static final RunObserver NONE = new RunObserver() {
        @Override
        public void before() {
        }

        @Override
        public void after() {
        }
    };

    private final Target mailwarden;
    private final Target peer;
    private final int repetitions;
    private final Report report;
    /** Sides whose preparation for a section failed, by section: they are left out of its cases. */
    private final Map<String, Set<Target>> unprepared;
    private RunObserver mailwardenRuns = NONE;

    public Comparison(Target mailwarden, Target peer, int repetitions, Report report) {
        this.mailwarden = mailwarden;
        this.peer = peer;
        this.repetitions = repetitions;
        this.report = report;
        this.unprepared = new HashMap<>();
    }

    private Comparison(Comparison c, int repetitions) {
        this.mailwarden = c.mailwarden;
        this.peer = c.peer;
        this.repetitions = repetitions;
        this.report = c.report;
        this.unprepared = c.unprepared;
        this.mailwardenRuns = c.mailwardenRuns;
    }

    /** Has {@code observer} bracket each measured mailwarden run from now on. */
    public void observeMailwardenRuns(RunObserver observer) {
        this.mailwardenRuns = observer;
    }

    /** The same comparison with another number of repetitions (for runs too long to repeat). */
    public Comparison withRepetitions(int n) {
        return new Comparison(this, n);
    }

    public Target mailwarden() {
        return mailwarden;
    }

    public Target peer() {
        return peer;
    }

    public Report report() {
        return report;
    }

    /** Whether {@code target} serves {@code service}; if not, the reason goes to the report, once per section. */
    public boolean available(Target target, Service service, String section) {
        Optional<String> reason = target.unavailable(service);
        reason.ifPresent(r -> {
            if (report.missing(section + ": " + r)) {
                progress(section + ": " + r);
            }
        });
        return reason.isEmpty();
    }

    /**
     * Prepares each side that serves {@code service} for {@code section} (fills a mailbox, say). A side
     * whose preparation fails is left out of the section's cases, and the report says why; the other
     * side is still measured.
     */
    public void prepare(Service service, String section, Measure preparation) {
        for (Target t : List.of(mailwarden, peer)) {
            if (t.unavailable(service).isPresent()) {
                continue;
            }
            try {
                preparation.run(t);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (Exception e) {
                unprepared.computeIfAbsent(section, k -> new HashSet<>()).add(t);
                String reason = section + ": " + t.name(service) + " could not be prepared: " + e.getMessage();
                report.missing(reason);
                progress(reason);
            }
        }
    }

    /**
     * One unmeasured run on each side that serves {@code service}: a server that has been up for a while
     * has its code compiled (mailwarden's JIT), its processes forked and its caches filled, and that is
     * the server the figures should describe. A failing warm-up is reported by the measured runs.
     */
    public void warmUp(Service service, String what, Measure measure) {
        for (Target t : List.of(mailwarden, peer)) {
            if (t.unavailable(service).isEmpty()) {
                progress("warm-up: " + what + " on " + t.name(service));
                try {
                    measure.run(t);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (Exception e) {
                    progress("warm-up failed on " + t.name(service) + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Measures {@code measure} on both sides {@code repetitions} times, interleaved; {@code ceiling}, when
     * not null, runs third in each round against the protocol ceiling (called with a null target).
     */
    public void compare(String section, String scenario, Service service, List<Metric> metrics, Measure measure,
                        Measure ceiling) {
        String what = section + ", " + scenario;
        Set<Target> failed = unprepared.getOrDefault(section, Set.of());
        boolean mwUp = available(mailwarden, service, section) && !failed.contains(mailwarden);
        boolean peerUp = available(peer, service, section) && !failed.contains(peer);
        List<List<Double>> mw = lists(metrics.size());
        List<List<Double>> pe = lists(metrics.size());
        List<List<Double>> ce = lists(metrics.size());
        List<Double> loads = new ArrayList<>();
        Set<String> notes = new LinkedHashSet<>();
        if (!mwUp) {
            notes.add(failed.contains(mailwarden) ? "mailwarden could not be prepared" : "mailwarden: service not available yet");
        }
        if (!peerUp) {
            notes.add(peer.name(service) + (failed.contains(peer) ? " could not be prepared" : " not available"));
        }
        for (int rep = 1; rep <= repetitions; rep++) {
            loads.add(MachineInfo.loadAverage());
            if (mwUp) {
                run(what, rep, mailwarden, service, measure, metrics, mw, notes);
            }
            if (peerUp) {
                run(what, rep, peer, service, measure, metrics, pe, notes);
            }
            if (ceiling != null) {
                run(what, rep, null, service, ceiling, metrics, ce, notes);
            }
        }
        String note = String.join("; ", notes);
        for (int i = 0; i < metrics.size(); i++) {
            report.add(new Row(section, scenario, metrics.get(i), peer.name(service), mw.get(i), pe.get(i),
                    ceiling == null ? List.of() : ce.get(i), loads, note));
        }
    }

    private void run(String what, int rep, Target target, Service service, Measure measure, List<Metric> metrics,
                     List<List<Double>> into, Set<String> notes) {
        String side = target == null ? "ceiling" : target.name(service);
        double[] values;
        RunObserver observer = target == mailwarden ? mailwardenRuns : NONE;
        try {
            observer.before();
            try {
                values = measure.run(target);
            } finally {
                observer.after();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            notes.add(side + " failed: " + message);
            progress(what + " #" + rep + " " + side + " FAILED: " + message);
            values = new double[metrics.size()];
            Arrays.fill(values, Double.NaN);
        }
        StringBuilder line = new StringBuilder(what + " #" + rep + " " + side + ":");
        for (int i = 0; i < metrics.size(); i++) {
            into.get(i).add(values[i]);
            if (Double.isFinite(values[i])) {
                line.append(String.format(Locale.ROOT, " %s=%.4g", metrics.get(i).name(), values[i]));
            }
        }
        progress(line.append(String.format(Locale.ROOT, " (load %.1f)", MachineInfo.loadAverage())).toString());
    }

    private static List<List<Double>> lists(int n) {
        List<List<Double>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new ArrayList<>());
        }
        return l;
    }

    /** A progress line on stderr; the table goes to stdout. */
    public static void progress(String line) {
        System.err.println("bench: " + line);
    }
}
