package io.warmstream.local.watch;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;

/**
 * Decodes a record for the watch views, where one undecodable record must not end the account: the services have
 * their own dead-letter handling, so here it is logged (to the caller's logger) and skipped.
 */
final class LenientDecoding {

    private LenientDecoding() {
    }

    /** The record's value, or null for a tombstone or a value that does not decode. */
    static <T> T decodeOrNull(Deserializer<T> d, ConsumerRecord<String, byte[]> r, Logger log) {
        if (r.value() == null) {
            return null;
        }
        try {
            return d.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            log.warn("cannot decode {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            return null;
        }
    }
}
