package io.warmstream.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwaitTest {

    @Test
    void returnsTheFirstAnswerThatPasses() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int answer = Await.until("three calls", Duration.ofSeconds(5), Duration.ofMillis(1), calls::incrementAndGet, n -> n >= 3);
        assertEquals(3, answer);
        assertEquals(3, calls.get());
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndTheLastAnswer() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until("version 7", Duration.ofMillis(50), Duration.ofMillis(5), () -> "version 6", v -> v.equals("version 7")));
        assertTrue(e.getMessage().contains("waiting for version 7; last: version 6"), e.getMessage());
    }

    @Test
    void aCheckIsAskedAtLeastOnceEvenWithNoTimeLeft() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Await.until("anything", Duration.ZERO, Duration.ofMillis(1), () -> calls.incrementAndGet() > 0);
        assertEquals(1, calls.get());
    }
}
