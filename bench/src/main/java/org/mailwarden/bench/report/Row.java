package org.mailwarden.bench.report;

import java.util.List;
import org.mailwarden.bench.measure.Stats;

/**
 * One line of the comparison: a metric of one scenario case, every repetition's value for mailwarden,
 * for the peer and (for SMTP) for the smtp-sink ceiling, and the load average seen before each run.
 * NaN stands for a run that could not measure (the note says why).
 */
public record Row(String section, String scenario, Metric metric, String peerName, List<Double> mailwarden,
                  List<Double> peer, List<Double> ceiling, List<Double> load, String note) {

    public Row {
        mailwarden = List.copyOf(mailwarden);
        peer = List.copyOf(peer);
        ceiling = List.copyOf(ceiling);
        load = List.copyOf(load);
    }

    public double mailwardenMedian() {
        return Stats.median(mailwarden);
    }

    public double peerMedian() {
        return Stats.median(peer);
    }

    public double ceilingMedian() {
        return Stats.median(ceiling);
    }

    /** mailwarden ÷ peer, NaN when either is missing. */
    public double ratio() {
        double mw = mailwardenMedian();
        double p = peerMedian();
        return Double.isFinite(mw) && Double.isFinite(p) && p != 0 ? mw / p : Double.NaN;
    }

    /** Whether mailwarden's median is the better one; null when there is nothing to compare. */
    public Boolean mailwardenBetter() {
        double r = ratio();
        if (!Double.isFinite(r)) {
            return null;
        }
        return metric.higherIsBetter() ? r >= 1 : r <= 1;
    }
}
