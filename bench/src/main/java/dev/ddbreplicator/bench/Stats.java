package dev.ddbreplicator.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The statistics the benchmarks report: medians of runs, percentiles of latencies, rates over a window. */
public final class Stats {

    private Stats() {
    }

    /** The median; of an even count, the mean of the two middle values. NaN when empty. */
    public static double median(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(values);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p} percent of the values at
     * or below it (so p99 of 100 values is the 99th smallest, and of 10 values the largest).
     */
    public static double percentile(Collection<? extends Number> values, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(1, rank) - 1);
    }

    public static double min(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    }

    public static double max(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * The rate between the moments a cumulative count first reached {@code from} and {@code to} of
     * {@code total}: the steady part of a drain, without its start-up and its tail.
     *
     * @param samples (nanos, count) pairs in time order, counts never decreasing
     * @return units per second, or NaN when the samples do not cover the window
     */
    public static double windowRate(List<long[]> samples, long total, double from, double to) {
        long low = (long) Math.ceil(total * from);
        long high = (long) Math.ceil(total * to);
        long[] first = null;
        long[] last = null;
        for (long[] sample : samples) {
            if (first == null && sample[1] >= low) {
                first = sample;
            }
            if (sample[1] >= high) {
                last = sample;
                break;
            }
        }
        if (first == null || last == null || last[0] <= first[0]) {
            return Double.NaN;
        }
        return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
    }

    private static List<Double> sorted(Collection<? extends Number> values) {
        List<Double> sorted = new ArrayList<>(values.size());
        for (Number value : values) {
            sorted.add(value.doubleValue());
        }
        sorted.sort(null);
        return sorted;
    }
}
