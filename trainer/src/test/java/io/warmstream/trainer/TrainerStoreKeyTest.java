package io.warmstream.trainer;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trainer reads the store from the key every service shares; its former key still works. */
class TrainerStoreKeyTest {

    private static String storeWith(Map<String, Object> properties) {
        try (ApplicationContext ctx = ApplicationContext.builder().properties(properties).banner(false).start()) {
            return TrainerConfig.storeLocation(ctx.getEnvironment());
        }
    }

    @Test
    void sharedKeyFormerKeyAndDefault() {
        assertEquals("s3://b/p", storeWith(Map.of("warm.store.location", "s3://b/p")));
        assertEquals("/old", storeWith(Map.of("warm.store.location", "/new", "warm.trainer.store", " /old ")));
        assertEquals("warm-store", storeWith(Map.of("warm.other", "x")));
        assertEquals("warm-store", storeWith(Map.of("warm.store.location", " ")));
    }
}
