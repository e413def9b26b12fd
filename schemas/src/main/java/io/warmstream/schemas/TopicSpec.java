package io.warmstream.schemas;

import org.apache.avro.specific.SpecificRecord;

import java.util.Map;
import java.util.Objects;

/**
 * One topic of the catalogue: its name, partition count, topic-level configs (e.g. {@code cleanup.policy})
 * and the Avro type of its values. Dead-letter topics have no value type: they keep the original bytes.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs,
                        Class<? extends SpecificRecord> valueType) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + name);
        }
        configs = Map.copyOf(configs);
    }

    /** {@code <topic>-value}: the registry subject of this topic's values (Confluent's TopicNameStrategy). */
    public String valueSubject() {
        return name + "-value";
    }

    /** {@code compact} or {@code delete}, as the broker will apply it. */
    public String cleanupPolicy() {
        return configs.getOrDefault("cleanup.policy", "delete");
    }

    /** True for dead-letter topics, whose values are the raw bytes that could not be processed. */
    public boolean isDeadLetter() {
        return valueType == null;
    }
}
