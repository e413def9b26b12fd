package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.schemas.Holdout;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.testkit.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A {@link MergerFixture} on a broker of its own, with scorers following the merger's average: what the tests of
 * which version is served (quality gate, generation switch) share. The broker is their own because other tests'
 * labels on a shared broker would change the held-out sample (and theirs would change the others').
 */
final class ServingFixture implements AutoCloseable {

    final EmbeddedKafka kafka;
    final MergerFixture fx;
    private final List<EmbeddedServer> scorers = new ArrayList<>();

    ServingFixture(EmbeddedRegistry registry) throws Exception {
        this.kafka = EmbeddedKafka.start(null);
        try {
            this.fx = new MergerFixture(kafka, registry);
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    /** Merger settings with the LMC guard and the quality gate on (CPU, 40 held-out labels), split by {@code holdout}. */
    static Map<String, Object> guardAndGateOn(Holdout holdout) {
        return Map.of(
                "warm.merger.guard.enabled", true,
                "warm.merger.gate.enabled", true,
                "warm.merger.guard.device", "cpu",
                "warm.merger.guard.min-labels", 40,
                "warm.merger.gate.min-labels", 40,
                "warm.merger.holdout.fraction", holdout.fraction(),
                "warm.merger.holdout.salt", holdout.salt());
    }

    /**
     * A scorer of {@code average} on the fixture's broker, registry and store; {@code name} keeps its streams
     * application id and directories apart from the other scorers'.
     */
    EmbeddedServer startScorer(String average, String name) {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", fx.registry.ccompatUrl());
        p.put("warm.store.location", fx.store.root().toString());
        p.put("warm.scorer.average", average);
        p.put("micronaut.security.enabled", false);
        p.put(Holdout.SHARED_SALT, "scorer-test-salt");
        p.put("warm.scorer.stream.application-id", name + "-" + average);
        p.put("warm.scorer.stream.state-dir", fx.root.resolve(name + "-state").toString());
        p.put("warm.scorer.export.cache-dir", fx.root.resolve(name + "-exports").toString());
        EmbeddedServer s = ScorerApplication.start(p);
        scorers.add(s);
        return s;
    }

    void awaitServing(EmbeddedServer scorer, long version) throws Exception {
        await(scorer, "/v1/models/current", m -> m.path("version").asLong() == version);
    }

    /** Polls {@code GET path} until {@code test} holds; fails after {@link MergerFixture#WAIT}. */
    JsonNode await(EmbeddedServer server, String path, Predicate<JsonNode> test) throws Exception {
        return Await.until(path + " to match", MergerFixture.WAIT, Duration.ofMillis(100), () -> fx.get(server, path), test);
    }

    /** The state a scorer's {@code /v1/models} lists for {@code version}, or {@code unseen}. */
    static String stateOf(JsonNode models, long version) {
        for (JsonNode v : models.path("versions")) {
            if (v.path("version").asLong() == version) {
                return v.path("state").asText();
            }
        }
        return "unseen";
    }

    /** Scorers first, then the merger fixture, then the broker they all used. */
    @Override
    public void close() {
        for (EmbeddedServer s : scorers) {
            s.getApplicationContext().close();
        }
        fx.close();
        kafka.close();
    }

    /** A test class whose tests share one serving fixture, built before the first test and closed after the last. */
    @ExtendWith(EmbeddedInfraExtension.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class PerTestClass {

        ServingFixture serving;
        MergerFixture fx;

        @BeforeAll
        void startFixture(EmbeddedRegistry registry) throws Exception {
            serving = new ServingFixture(registry);
            fx = serving.fx;
        }

        @AfterAll
        void stopFixture() {
            if (serving != null) serving.close();
        }
    }
}
