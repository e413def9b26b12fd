package io.warmstream.scorer;

import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Holdout;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The properties of a scorer started on the embedded broker for an HTTP test: one average from a store, security off
 * (ScorerSecurityTest covers authentication), stream scoring and drift off, state under {@code tmp}. Tests add theirs.
 */
public final class ScorerTestProperties {

    private ScorerTestProperties() {
    }

    public static Map<String, Object> of(KafkaSettings settings, Path store, String average, Path tmp) {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", settings.bootstrapServers());
        p.put("warm.registry.url", settings.registryUrl());
        p.put("warm.store.location", store.toString());
        p.put("warm.scorer.average", average);
        p.put("micronaut.security.enabled", false);
        p.put(Holdout.SHARED_SALT, "scorer-test-salt-" + average);
        p.put("warm.scorer.stream.enabled", false);
        p.put("warm.scorer.drift.enabled", false);
        p.put("warm.scorer.stream.state-dir", tmp.resolve("state").toString());
        p.put("warm.scorer.export.cache-dir", tmp.resolve("exports").toString());
        return p;
    }
}
