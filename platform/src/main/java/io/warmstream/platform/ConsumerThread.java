package io.warmstream.platform;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;

/**
 * One daemon thread that owns one Kafka consumer for the life of a service: the start and stop code every
 * consumer-thread class repeated. The loop polls while {@link #running()}; {@link #close()} asks it to stop, wakes
 * a blocked poll, and waits for the thread, which closes the consumer on its way out whatever ended the loop:
 * <ul>
 *   <li>a {@link WakeupException} (from {@link #close()}) ends the loop quietly;</li>
 *   <li>any other runtime exception goes to {@code onFailure} (the owner logs it and records why it stopped); the
 *       thread is not restarted, as before.</li>
 * </ul>
 * Built first and started with {@link #start()}, so the loop can read its owner's fields, this one included.
 */
public final class ConsumerThread implements AutoCloseable {

    private final Consumer<?, ?> consumer;
    private final Duration closeTimeout;
    private final Duration joinTimeout;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param name         the thread's name
     * @param consumer     closed (within {@code closeTimeout}) when the loop ends
     * @param joinTimeout  how long {@link #close()} waits for the thread
     * @param loop         polls while {@link #running()}; may clean up its own state in a finally block
     * @param onFailure    told of a runtime exception that ended the loop
     */
    public ConsumerThread(String name, Consumer<?, ?> consumer, Duration closeTimeout, Duration joinTimeout,
                          Runnable loop, java.util.function.Consumer<RuntimeException> onFailure) {
        this.consumer = consumer;
        this.closeTimeout = closeTimeout;
        this.joinTimeout = joinTimeout;
        this.thread = new Thread(() -> run(loop, onFailure), name);
        thread.setDaemon(true);
    }

    public ConsumerThread start() {
        thread.start();
        return this;
    }

    /** False once {@link #stop()} or {@link #close()} was called. */
    public boolean running() {
        return running;
    }

    /** Asks the loop to end at its next check, without waking it or waiting (e.g. from the loop on interruption). */
    public void stop() {
        running = false;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    private void run(Runnable loop, java.util.function.Consumer<RuntimeException> onFailure) {
        try {
            loop.run();
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            onFailure.accept(e);
        } finally {
            consumer.close(closeTimeout);
        }
    }

    /** Stops the loop, wakes a blocked poll and waits up to the join timeout for the consumer to be closed. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(joinTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
