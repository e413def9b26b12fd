package io.warmstream.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuPriorityTest {

    private static int tid() throws Exception {
        return CpuPriority.currentThreadId();
    }

    @Test
    void lowersTheCallingThreadAndTheThreadsItStartsButNoOther() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        int before = CpuPriority.niceOf(tid());
        assumeTrue(before < 7, "this JVM already runs at nice " + before);
        // [applied, seen by the training thread, seen by a thread it started, the caller after it all]
        AtomicIntegerArray seen = new AtomicIntegerArray(3);
        Thread training = new Thread(() -> {
            try {
                seen.set(0, CpuPriority.lowerCurrentThread(7));
                seen.set(1, CpuPriority.niceOf(tid()));
                Thread child = new Thread(() -> {
                    try {
                        seen.set(2, CpuPriority.niceOf(tid()));
                    } catch (Exception e) {
                        seen.set(2, -100);
                    }
                });
                child.start();
                child.join();
            } catch (Exception e) {
                seen.set(1, -100);
            }
        });
        training.start();
        training.join();
        assertEquals(7, seen.get(0));
        assertEquals(7, seen.get(1));
        assertEquals(7, seen.get(2), "a thread the training thread starts (the engine's intra-op pool) inherits it");
        assertEquals(before, CpuPriority.niceOf(tid()), "other threads keep their priority");
    }

    @Test
    void zeroLeavesThePriorityAlone() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        int before = CpuPriority.niceOf(tid());
        assertEquals(0, CpuPriority.lowerCurrentThread(0));
        assertEquals(before, CpuPriority.niceOf(tid()));
    }
}
