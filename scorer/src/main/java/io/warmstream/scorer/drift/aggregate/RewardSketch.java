package io.warmstream.scorer.drift;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The rewards of a window in bounded memory: up to {@code capacity} weighted points. While fewer values than the
 * capacity were added every point is one value and quantiles are exact; beyond it the points are sorted and
 * neighbours merged in pairs (weighted mean, summed weight), so memory stays bounded and ranks stay ordered, at a
 * rank error of about one merged point's weight. Deterministic: the same values in the same order give the same
 * sketch, so a replayed window gives the same report.
 */
public final class QuantileSketch {

    private final int capacity;
    private double[] values;
    private long[] weights;
    private int size;
    private long total;

    public QuantileSketch(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("sketch capacity must be >= 2, got " + capacity);
        }
        this.capacity = capacity;
        this.values = new double[Math.min(capacity, 16)];
        this.weights = new long[values.length];
    }

    public void add(double value) {
        if (size == capacity) {
            compact();
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.min(capacity, size * 2));
            weights = Arrays.copyOf(weights, values.length);
        }
        values[size] = value;
        weights[size] = 1;
        size++;
        total++;
    }

    /** Values added. */
    public long count() {
        return total;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * The p-quantile (0..1) by linear interpolation between order statistics (Hyndman and Fan type 7, numpy's and R's
     * default), each point counting as many values as its weight; NaN when empty.
     */
    public double quantile(double p) {
        if (total == 0) {
            return Double.NaN;
        }
        sort();
        double h = (total - 1) * p;
        long lo = (long) Math.floor(h);
        long hi = (long) Math.ceil(h);
        double a = valueAtRank(lo);
        double b = hi == lo ? a : valueAtRank(hi);
        return a + (h - lo) * (b - a);
    }

    /** Sorted points and their weights (copies), for binning. */
    public double[] points() {
        sort();
        return Arrays.copyOf(values, size);
    }

    public long[] pointWeights() {
        sort();
        return Arrays.copyOf(weights, size);
    }

    private double valueAtRank(long rank) {
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += weights[i];
            if (rank < seen) {
                return values[i];
            }
        }
        return values[size - 1];
    }

    private void compact() {
        sort();
        int out = 0;
        for (int i = 0; i + 1 < size; i += 2) {
            long w = weights[i] + weights[i + 1];
            double v = (values[i] * weights[i] + values[i + 1] * weights[i + 1]) / w;
            values[out] = v;
            weights[out] = w;
            out++;
        }
        if (size % 2 == 1) {
            values[out] = values[size - 1];
            weights[out] = weights[size - 1];
            out++;
        }
        size = out;
    }

    private void sort() {
        // Sort points by value, carrying weights along (insertion sort: points are nearly sorted after the first call).
        for (int i = 1; i < size; i++) {
            double v = values[i];
            long w = weights[i];
            int j = i - 1;
            while (j >= 0 && values[j] > v) {
                values[j + 1] = values[j];
                weights[j + 1] = weights[j];
                j--;
            }
            values[j + 1] = v;
            weights[j + 1] = w;
        }
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(size);
        out.writeLong(total);
        for (int i = 0; i < size; i++) {
            out.writeDouble(values[i]);
            out.writeLong(weights[i]);
        }
    }

    static QuantileSketch read(DataInput in) throws IOException {
        QuantileSketch s = new QuantileSketch(in.readInt());
        int n = in.readInt();
        if (n < 0 || n > s.capacity) {
            throw new IOException("sketch holds " + n + " points, capacity " + s.capacity);
        }
        s.values = new double[Math.max(n, Math.min(s.capacity, 16))];
        s.weights = new long[s.values.length];
        s.size = n;
        s.total = in.readLong();
        for (int i = 0; i < n; i++) {
            s.values[i] = in.readDouble();
            s.weights[i] = in.readLong();
        }
        return s;
    }
}
