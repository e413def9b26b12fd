package io.warmstream.local.cli;

import io.warmstream.local.session.StackSession;
import io.warmstream.local.stack.LogFile;
import io.warmstream.local.stack.StackSettings;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Runs a {@link StackSession} in the foreground until Ctrl-C (or SIGTERM), then stops it cleanly. */
final class StackRunner {

    private StackRunner() {
    }

    static int run(StackSettings settings, StackSession.FeedOptions feed, Duration labelInterval) {
        PrintStream out = System.out;
        LogFile.redirectTo(settings.logFile());
        StackSession session;
        try {
            session = StackSession.start(settings, feed, out, Clock.systemDefaultZone(), labelInterval);
        } catch (RuntimeException e) {
            out.println();
            out.println("error: the stack did not start: " + e.getMessage());
            out.println("details in " + settings.logFile());
            org.slf4j.LoggerFactory.getLogger(StackRunner.class).error("stack start failed", e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("stopping: simulator, services, registry, broker ...");
            long t0 = System.nanoTime();
            session.close();
            out.printf("stopped cleanly in %.1f s; data kept in %s%n", (System.nanoTime() - t0) / 1e9, settings.dataDir());
            out.flush();
            stopped.countDown();
        }, "warm-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
