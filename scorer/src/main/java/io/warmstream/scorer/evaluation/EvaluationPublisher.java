package io.warmstream.scorer.evaluation;

import io.micronaut.context.annotation.Requires;
import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.serving.ModelVersion;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sends the judge's figures to {@code warm.evaluations}, keyed by average. A figure that cannot be sent (registry or
 * broker away past the producer's delivery timeout) is logged: the next version's figures follow, and the board
 * behind the HTTP API keeps it.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = EvaluationSettings.TEST_SETS)
public final class EvaluationPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<ModelEvaluation> serializer;
    private final ScorerConfig config;

    public EvaluationPublisher(ScorerConfig config) {
        this.config = config;
        this.serializer = config.kafka().serdes().valueSerializer(ModelEvaluation.class);
        this.producer = new KafkaProducer<>(config.kafka().producerConfig(config.applicationId() + "-evaluations", Map.of()));
    }

    /** One record per test set, with the per-pair outcomes so consumers can compare two models pair by pair. */
    void publish(ModelVersion v, EvaluationSubject subject, String jobId, long trainLabels, List<TestSetOutcomes> judged) {
        Instant now = Instant.now();
        for (TestSetOutcomes o : judged) {
            TestSetAccuracy a = o.accuracy();
            ModelEvaluation e = ModelEvaluation.newBuilder().setAverage(v.average()).setVersion(v.version())
                    .setSubject(subject).setJobId(jobId).setTestSet(a.testSet()).setPairs(a.pairs())
                    .setAccuracy(a.accuracy()).setStandardError(a.standardError()).setTrainLabels(trainLabels)
                    .setEvaluatedAt(now).setDurationMs(a.durationMs()).setGeneration(v.generation())
                    .setOutcomes(ByteBuffer.wrap(o.packed())).build();
            try {
                producer.send(new ProducerRecord<>(Topics.EVALUATIONS, v.average(),
                        serializer.serialize(Topics.EVALUATIONS, e)), (meta, error) -> {
                    if (error != null) {
                        LOG.warn("evaluation of v{} on {} not sent: {}", v.version(), a.testSet(), error.toString());
                    }
                });
            } catch (RuntimeException ex) {
                LOG.warn("evaluation of v{} on {} not sent (registry?): {}", v.version(), a.testSet(), ex.toString());
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(config.closeTimeout());
    }
}
