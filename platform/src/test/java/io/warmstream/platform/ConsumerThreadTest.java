package io.warmstream.platform;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real consumer with no broker behind it: its polls block until woken, as they would while waiting for records. */
class ConsumerThreadTest {

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    @Test
    void closeWakesABlockedPollRunsTheLoopsCleanUpAndClosesTheConsumer() throws Exception {
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        CountDownLatch polling = new CountDownLatch(1);
        AtomicBoolean cleanedUp = new AtomicBoolean();
        CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
        ConsumerThread[] holder = new ConsumerThread[1];
        holder[0] = new ConsumerThread("test-consumer-thread", consumer, Duration.ofSeconds(1), Duration.ofSeconds(10), () -> {
            try {
                consumer.assign(List.of(new TopicPartition("nowhere", 0)));
                while (holder[0].running()) {
                    polling.countDown();
                    consumer.poll(Duration.ofMinutes(5));
                }
            } finally {
                cleanedUp.set(true);
            }
        }, failure::complete);
        ConsumerThread thread = holder[0].start();
        assertTrue(polling.await(10, TimeUnit.SECONDS));
        Thread.sleep(200); // inside the five-minute poll
        long start = System.nanoTime();
        thread.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "close waited for the poll");
        assertFalse(thread.isAlive());
        assertFalse(thread.running());
        assertTrue(cleanedUp.get());
        assertFalse(failure.isDone(), "a wake-up is not a failure");
        assertThrows(IllegalStateException.class, () -> consumer.poll(Duration.ZERO), "the consumer is closed");
    }

    @Test
    void aFailureEndsTheLoopGoesToTheOwnerAndClosesTheConsumer() throws Exception {
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
        ConsumerThread thread = new ConsumerThread("test-failing", consumer, Duration.ofSeconds(1), Duration.ofSeconds(10),
                () -> {
                    throw new IllegalArgumentException("broken record");
                }, failure::complete).start();
        assertEquals("broken record", failure.get(10, TimeUnit.SECONDS).getMessage());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(thread.isAlive());
        assertTrue(thread.running(), "nobody asked it to stop");
        assertThrows(IllegalStateException.class, () -> consumer.poll(Duration.ZERO), "the consumer is closed");
        thread.close(); // closing after the loop died is harmless
    }

    @Test
    void stopEndsTheLoopAtItsNextCheckWithoutAWakeUp() throws Exception {
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        CountDownLatch ended = new CountDownLatch(1);
        ConsumerThread[] holder = new ConsumerThread[1];
        holder[0] = new ConsumerThread("test-stop", consumer, Duration.ofSeconds(1), Duration.ofSeconds(10), () -> {
            while (holder[0].running()) {
                holder[0].stop(); // as a loop does when its thread is interrupted
            }
            ended.countDown();
        }, e -> { });
        holder[0].start();
        assertTrue(ended.await(10, TimeUnit.SECONDS));
        holder[0].close();
        assertFalse(holder[0].isAlive());
    }
}
