package io.warmstream.scorer.drift.observe;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.scorer.serving.FakeModels;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelLease;
import io.warmstream.scorer.serving.RetainedVersions;
import io.warmstream.scorer.serving.ServingEvents;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Drift scoring goes a chunk at a time, gives each label its own rewards, and stops between chunks when asked. */
class LabelScoringTest {

    private static List<PreferenceLabel> labels(int n) {
        List<PreferenceLabel> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(PreferenceLabel.newBuilder().setId("l" + i).setPrompt("p" + i)
                    .setChosen("c".repeat(1 + i)).setRejected("r".repeat(i % 2 == 0 ? i : i + 2))
                    .setLabeller("t").setSource("test").setConfidence(null).setCreatedAt(Instant.EPOCH)
                    .setMetadata(null).build());
        }
        return out;
    }

    private static HotSwappedModel serving(FakeModels.Fake fake) {
        HotSwappedModel hot = new HotSwappedModel("default", new ServingEvents(), Clock.systemUTC(),
                new RetainedVersions(1, Long.MAX_VALUE));
        hot.install(FakeModels.serving(1, fake));
        return hot;
    }

    @Test
    void labelsAreScoredInChunksAndKeepTheirOwnRewards() {
        FakeModels.Fake fake = FakeModels.Fake.offset(0, 0); // reward = response length
        int n = 2 * LabelScoring.CHUNK + 5;
        try (ModelLease lease = serving(fake).leaseOrThrow()) {
            LabelRewards r = new LabelScoring().rewards(lease, labels(n));
            float[] chosen = new float[n], rejected = new float[n];
            for (int i = 0; i < n; i++) {
                chosen[i] = 1 + i;
                rejected[i] = i % 2 == 0 ? i : i + 2;
            }
            assertArrayEquals(chosen, r.chosen());
            assertArrayEquals(rejected, r.rejected());
            assertEquals((n + 1) / 2, r.correct(), "even labels are ordered right, odd ones wrong");
        }
        assertEquals(List.of(2 * LabelScoring.CHUNK, 2 * LabelScoring.CHUNK, 10), fake.batches);
    }

    @Test
    void aStopBetweenChunksEndsScoringBeforeTheNextNativeCall() {
        LabelScoring scoring = new LabelScoring();
        AtomicInteger calls = new AtomicInteger();
        FakeModels.Fake fake = FakeModels.Fake.offset(0, 0).beforeScoring(() -> {
            if (calls.incrementAndGet() == 1) scoring.stop(); // the scorer closes during the first chunk
        });
        try (ModelLease lease = serving(fake).leaseOrThrow()) {
            assertThrows(CancellationException.class, () -> scoring.rewards(lease, labels(3 * LabelScoring.CHUNK)));
        }
        assertEquals(1, calls.get(), "the chunk in progress finishes; no further one starts");
    }
}
