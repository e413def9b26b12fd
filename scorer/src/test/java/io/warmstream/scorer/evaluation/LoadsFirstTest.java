package io.warmstream.scorer.evaluation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadsFirstTest {

    @Test
    void theJudgeWaitsUntilTheLoadIsDone() throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        LoadsFirst first = new LoadsFirst(loading::get, Duration.ofMillis(5));
        Thread load = new Thread(() -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loading.set(false);
        });
        load.start();
        long waited = first.awaitNoLoad(() -> true);
        assertTrue(waited >= 140, "waited " + waited + " ms");
        assertTrue(!loading.get());
        load.join();
    }

    @Test
    void withoutALoadTheJudgeGoesOnAtOnce() throws Exception {
        assertTrue(new LoadsFirst(() -> false, Duration.ofSeconds(10)).awaitNoLoad(() -> true) < 100);
    }

    @Test
    void closingTheJudgeEndsTheWait() throws Exception {
        assertTrue(new LoadsFirst(() -> true, Duration.ofMillis(5)).awaitNoLoad(() -> false) < 100);
    }
}
