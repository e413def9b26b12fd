package io.warmstream.scorer.drift.aggregate;

import io.warmstream.events.DriftObservation;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windows in the state store round-trip, and windows stored before the KLL sketch are still read. */
class DriftWindowSerdeTest {

    private final DriftWindowSerde serde = new DriftWindowSerde();

    private static DriftObservation observation(List<Double> rewards) {
        return DriftObservation.newBuilder().setAverage("a").setModelVersion(3).setObservedAt(Instant.EPOCH)
                .setRewards(rewards).setReferenceRewards(List.of()).setPrequentialCorrect(2).setPrequentialCount(3)
                .setPreviousVersion(2L).setAgreementSame(1).setAgreementCount(3).build();
    }

    private DriftWindow roundTrip(DriftWindow w) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", w));
    }

    @Test
    void exactAndEstimatingWindowsRoundTrip() {
        for (int n : new int[] {0, 5, 5_000}) {
            List<Double> rewards = new ArrayList<>();
            for (int i = 0; i < n; i++) rewards.add(Math.sin(i) * 3);
            DriftWindow w = new DriftWindow(64).add(observation(rewards));
            DriftWindow back = roundTrip(w);
            assertEquals("a", back.average);
            assertEquals(3, back.version);
            assertEquals(w.scored, back.scored);
            assertEquals(w.mean, back.mean, 0.0);
            assertEquals(w.m2, back.m2, 0.0);
            assertEquals(2, back.prequentialCorrect);
            assertEquals(3, back.prequentialCount);
            assertEquals(2L, back.previousVersion);
            assertEquals(1, back.agreementSame);
            assertEquals(3, back.agreementCount);
            assertEquals(64, back.sketch.k());
            assertEquals(w.sketch.count(), back.sketch.count());
            assertArrayEquals(w.sketch.points(), back.sketch.points(), 0.0);
            assertArrayEquals(w.sketch.pointWeights(), back.sketch.pointWeights());
            assertEquals(w.report(Instant.EPOCH, Instant.EPOCH, null), back.report(Instant.EPOCH, Instant.EPOCH, null));
        }
    }

    @Test
    void aWindowStoredBeforeKllIsConvertedPointByWeight() throws Exception {
        // Format 1: the header, then the hand-written sketch: capacity, points, values, (value, weight) per point.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeUTF("a");
        out.writeLong(7);       // version
        out.writeLong(6);       // scored
        out.writeDouble(2.5);   // mean
        out.writeDouble(11.5);  // m2
        out.writeLong(1);
        out.writeLong(2);
        out.writeLong(-1);      // no previous version
        out.writeLong(0);
        out.writeLong(0);
        out.writeInt(512);      // capacity
        out.writeInt(3);        // points
        out.writeLong(6);       // values
        double[] values = {1, 2, 5};
        long[] weights = {2, 3, 1};
        for (int i = 0; i < 3; i++) {
            out.writeDouble(values[i]);
            out.writeLong(weights[i]);
        }
        DriftWindow w = serde.deserializer().deserialize("t", bytes.toByteArray());
        assertEquals(7, w.version);
        assertEquals(6, w.scored);
        assertEquals(2.5, w.mean, 0.0);
        assertNull(w.previousVersion);
        assertEquals(512, w.sketch.k());
        assertEquals(6, w.sketch.count());
        assertTrue(w.sketch.exact());
        // Values 1 1 2 2 2 5: type-7 median is 2, p95 is 2 + 0.75 * 3.
        assertEquals(2.0, w.sketch.quantile(0.5), 1e-12);
        assertEquals(4.25, w.sketch.quantile(0.95), 1e-12);
        // It goes back out in the current format.
        assertEquals(2, serde.serializer().serialize("t", w)[0]);
        assertEquals(w.sketch.count(), roundTrip(w).sketch.count());
    }

    @Test
    void anUnknownFormatOrCutBytesAreRefused() {
        byte[] good = serde.serializer().serialize("t", new DriftWindow(16).add(observation(List.of(1.0, 2.0))));
        byte[] unknown = good.clone();
        unknown[0] = 9;
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", unknown));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 5);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", cut));
    }
}
