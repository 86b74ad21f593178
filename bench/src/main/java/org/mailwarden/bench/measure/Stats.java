package org.mailwarden.bench.measure;

import java.util.Arrays;
import java.util.List;

/** The median the comparison reports for repeated runs. */
public final class Stats {

    private Stats() {
    }

    /** The median of the finite values, NaN when there are none (every run failed). */
    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** min–max of the finite values, for the spread column. */
    public static double[] range(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow()};
    }
}
