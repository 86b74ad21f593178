package org.mailwarden.bench.report;

/** What a figure measures: its name, unit and which direction is better. */
public record Metric(String name, String unit, boolean higherIsBetter) {

    public static Metric higher(String name, String unit) {
        return new Metric(name, unit, true);
    }

    public static Metric lower(String name, String unit) {
        return new Metric(name, unit, false);
    }
}
