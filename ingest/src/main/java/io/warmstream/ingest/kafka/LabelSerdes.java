package io.warmstream.ingest.kafka;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.IngestConfig;
import org.apache.kafka.common.serialization.Serde;

/** The label serde the service uses: whatever registry serde {@code warm.registry.*} and {@code warm.serde.*} configure. */
final class LabelSerdes {

    private LabelSerdes() {
    }

    static Serde<PreferenceLabel> forConfig(IngestConfig config) {
        return config.kafka().serdes().valueSerde(PreferenceLabel.class);
    }
}
