package io.warmstream.ingest.topology;

import io.warmstream.events.PreferenceLabel;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops a label whose id was already seen within the window (by record timestamp, either side). Duplicates are
 * expected under at-least-once producers and client retries, so they are counted, not dead-lettered. The first
 * sighting is remembered, not refreshed: an id repeated forever passes once per window.
 */
final class DedupProcessor implements FixedKeyProcessor<String, PreferenceLabel, PreferenceLabel> {

    private final String storeName;
    private final long windowMs;
    private final TopologyEvents events;
    private FixedKeyProcessorContext<String, PreferenceLabel> context;
    private WindowStore<String, Long> seen;

    DedupProcessor(String storeName, long windowMs, TopologyEvents events) {
        this.storeName = storeName;
        this.windowMs = windowMs;
        this.events = events;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PreferenceLabel> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, PreferenceLabel> record) {
        String id = record.key();
        long ts = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, Math.max(0, ts - windowMs), ts + windowMs)) {
            if (earlier.hasNext()) {
                events.duplicateDropped();
                return;
            }
        }
        seen.put(id, ts, ts);
        events.passed();
        context.forward(record);
    }
}
