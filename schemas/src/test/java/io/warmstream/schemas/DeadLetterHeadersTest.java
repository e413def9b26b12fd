package io.warmstream.schemas;

import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DeadLetterHeadersTest {

    @Test
    void writesTheGivenHeadersAndLeavesOutMissingOnes() {
        Headers h = DeadLetterHeaders.of("prompt must not be empty", "prompt", Topics.PREFERENCES_RAW, 2, 41L,
                new IllegalArgumentException("x"));
        assertEquals("prompt must not be empty", DeadLetterHeaders.read(h, DeadLetterHeaders.REASON));
        assertEquals("prompt", DeadLetterHeaders.read(h, DeadLetterHeaders.FIELD));
        assertEquals("warm.preferences.raw", DeadLetterHeaders.read(h, DeadLetterHeaders.SOURCE_TOPIC));
        assertEquals("2", DeadLetterHeaders.read(h, DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals("41", DeadLetterHeaders.read(h, DeadLetterHeaders.SOURCE_OFFSET));
        assertEquals("java.lang.IllegalArgumentException", DeadLetterHeaders.read(h, DeadLetterHeaders.ERROR_CLASS));

        Headers minimal = DeadLetterHeaders.of("undecodable", null, "t", -1, -1, null);
        assertEquals(2, minimal.toArray().length);
        assertNull(DeadLetterHeaders.read(minimal, DeadLetterHeaders.FIELD));
    }
}
