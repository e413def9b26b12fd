package io.warmstream.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka client and streams meters a service's metrics bean binds once its clients exist, kept so they can be
 * unbound when the bean is destroyed: the bind-and-close code every service's metrics class repeated.
 */
public final class KafkaClientMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<AutoCloseable> binders = new ArrayList<>();

    public KafkaClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public synchronized void bindProducer(Producer<?, ?> producer) {
        KafkaClientMetrics m = new KafkaClientMetrics(producer);
        m.bindTo(registry);
        binders.add(m);
    }

    public synchronized void bindStreams(KafkaStreams streams) {
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams);
        m.bindTo(registry);
        binders.add(m);
    }

    @Override
    public synchronized void close() throws Exception {
        for (AutoCloseable b : binders) {
            b.close();
        }
        binders.clear();
    }
}
