package io.warmstream.scorer.drift;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PsiAndSketchTest {

    private static double[] range(int n, double offset) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = i + offset;
        return r;
    }

    private static long[] ones(int n) {
        long[] w = new long[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }

    @Test
    void psiIsZeroForTheReferenceItselfAndKnownForAShift() {
        double[] ref = range(100, 0);
        assertEquals(0.0, Psi.of(ref, range(100, 0), ones(100)), 1e-12);
        // Shifted by 10: bin 0 gets 0 values, bins 1..8 keep 10 % each... exactly: values 10..109.
        // Edges 9.9k: bin0 (<=9.9) none, bins 1..8 hold 10 each, bin 9 (>89.1) holds 90..109 = 20.
        double f = Psi.FLOOR;
        double expected = (f - 0.1) * Math.log(f / 0.1) + (0.2 - 0.1) * Math.log(0.2 / 0.1);
        assertEquals(expected, Psi.of(ref, range(100, 10), ones(100)), 1e-12);
        // Weights count as repeated values.
        assertEquals(Psi.of(ref, new double[] {5, 5, 95}, ones(3)), Psi.of(ref, new double[] {5, 95}, new long[] {2, 1}), 1e-12);
        assertTrue(Double.isNaN(Psi.of(new double[0], range(3, 0), ones(3))));
    }

    @Test
    void tiesInTheReferenceAreNotDrift() {
        double[] ref = new double[50];
        java.util.Arrays.fill(ref, 0, 25, 1.0);
        java.util.Arrays.fill(ref, 25, 50, 2.0);
        assertEquals(0.0, Psi.of(ref, new double[] {1, 2, 1, 2}, ones(4)), 1e-12);
    }

    @Test
    void sketchQuantilesAreExactBelowCapacity() {
        QuantileSketch s = new QuantileSketch(16);
        for (double v : new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5}) s.add(v);
        assertEquals(10, s.count());
        assertEquals(1.0, s.quantile(0), 1e-12);
        assertEquals(1.45, s.quantile(0.05), 1e-12);
        assertEquals(5.5, s.quantile(0.5), 1e-12);
        assertEquals(9.55, s.quantile(0.95), 1e-12);
        assertEquals(10.0, s.quantile(1), 1e-12);
        assertTrue(Double.isNaN(new QuantileSketch(4).quantile(0.5)));
    }

    @Test
    void sketchStaysBoundedAndCloseBeyondCapacityAndSurvivesSerialization() throws Exception {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) values.add((double) i);
        Collections.shuffle(values, new Random(7));
        QuantileSketch s = new QuantileSketch(128);
        values.forEach(s::add);
        assertEquals(10_000, s.count());
        assertTrue(s.points().length <= 128, "points " + s.points().length);
        for (double p : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
            double exact = 9_999 * p;
            assertEquals(exact, s.quantile(p), 200, "p" + p); // within 2 % of the range
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.write(new DataOutputStream(bytes));
        QuantileSketch back = QuantileSketch.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(s.count(), back.count());
        assertEquals(s.quantile(0.37), back.quantile(0.37), 0.0);
    }
}
