package io.warmstream.trainer;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The trainer reads the store from the key every service shares; its former key still works. */
class TrainerStoreKeyTest {

    private static String storeWith(Map<String, Object> properties) {
        try (ApplicationContext ctx = ApplicationContext.builder().properties(properties).banner(false).start()) {
            // What the config's constructor is given for its two @Property parameters.
            return TrainerConfig.storeLocation(ctx.getProperty(TrainerConfig.LEGACY_STORE, String.class).orElse(null),
                    ctx.getProperty(TrainerConfig.STORE, String.class).orElse(null));
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
