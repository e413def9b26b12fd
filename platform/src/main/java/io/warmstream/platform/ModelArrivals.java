package io.warmstream.platform;

import io.warmstream.schemas.Topics;
import io.warmstream.events.WarmModelPublished;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows {@code warm.models} (read_committed) on a daemon thread and notes the nanotime at which each version of
 * each average first became readable, so a benchmark can measure from sending a checkpoint to its publication.
 * Shared by the merger benchmarks in {@code local} and the merger's own tests.
 */
public final class ModelArrivals implements AutoCloseable {

    private final KafkaSettings settings;
    private final String clientId;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private volatile boolean watching = true;

    private ModelArrivals(KafkaSettings settings, String clientId) {
        this.settings = settings;
        this.clientId = clientId;
    }

    /** Starts watching from the beginning of the topic; {@code clientId} also names the thread. */
    public static ModelArrivals watch(KafkaSettings settings, String clientId) {
        ModelArrivals a = new ModelArrivals(settings, clientId);
        Thread watcher = new Thread(a::follow, clientId);
        watcher.setDaemon(true);
        watcher.start();
        return a;
    }

    /** Nanotime at which version {@code version} of {@code average} became readable; waits up to {@code wait}. */
    public long await(String average, long version, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Long t;
        while ((t = arrivals.get(average + "/" + version)) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("version " + version + " of " + average + " never arrived");
            }
            Thread.sleep(2);
        }
        return t;
    }

    /** Stops the watcher after its current poll. */
    @Override
    public void close() {
        watching = false;
    }

    private void follow() {
        Deserializer<WarmModelPublished> d = settings.serdes().valueDeserializer(WarmModelPublished.class);
        try (Consumer<String, byte[]> c = new KafkaConsumer<>(settings.consumerConfig(null, clientId,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5)))) {
            TopicPartition p = new TopicPartition(Topics.MODELS, 0);
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            while (watching) {
                // under either key (served or withheld): the key is the average's, the version is in the event
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    WarmModelPublished e = d.deserialize(r.topic(), r.headers(), r.value());
                    arrivals.putIfAbsent(e.getAverage() + "/" + e.getVersion(), now);
                }
            }
        }
    }
}
