package io.warmstream.merger.kafka;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Admin commands (rollback) waiting for the merger's thread, which alone uses the Kafka clients: the admin API
 * queues them from its own threads, the poll loop runs them between polls. Each command checks for itself whether
 * the merger can still carry it out and completes its caller's future either way.
 */
final class AdminCommands {

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

    void submit(Runnable command) {
        queue.add(command);
    }

    /** Runs every queued command, on the merger's thread. */
    void runPending() {
        Runnable c;
        while ((c = queue.poll()) != null) {
            c.run();
        }
    }
}
