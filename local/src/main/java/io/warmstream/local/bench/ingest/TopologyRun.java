package io.warmstream.local.bench.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.IngestApplication;
import io.warmstream.ingest.kafka.LabelProducer;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.TopicProvisioner;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static io.warmstream.local.bench.ingest.BenchStats.cpuNanos;
import static io.warmstream.local.bench.ingest.BenchStats.round;

/** The validation topology alone, working off a backlog. */
final class TopologyRun {

    private TopologyRun() {
    }

    /**
     * The validation topology alone: a backlog of labels is written to the raw topic first, then the service starts
     * (HTTP idle) and the time until the topology has passed them all is measured.
     */
    static Map<String, Object> run(EmbeddedKafka kafka, EmbeddedRegistry registry, int n,
                                                   Map<String, Object> overrides) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.provision(admin, List.of(Topics.spec(Topics.PREFERENCES_RAW)), (short) 1);
        }
        Map<String, Object> producerConfig = LabelProducer.producerConfigs(KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl()),
                "bench-producer", overrides);
        Serializer<PreferenceLabel> avro = EventSerdes.forRegistry(registry.ccompatUrl()).valueSerializer(PreferenceLabel.class);
        try (KafkaProducer<String, PreferenceLabel> p = new KafkaProducer<>(producerConfig, new StringSerializer(), avro)) {
            List<PreferenceLabel> backlog = BenchLabels.generate(n, new Random(3), "t");
            ProducerRuns.Acks acks = new ProducerRuns.Acks(n);
            for (PreferenceLabel l : backlog) p.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, l.getId(), l), acks);
            acks.await();
        }
        Map<String, Object> props = new HashMap<>();
        props.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        props.put("warm.registry.url", registry.ccompatUrl());
        props.put("micronaut.security.enabled", false); // benchmarks measure the pipeline, not authentication
        props.put("warm.holdout.salt", "bench");
        props.put("warm.ingest.topology.application-id", "bench-topology-" + System.nanoTime());
        props.put("warm.ingest.topology.state-dir", Files.createTempDirectory("bench-topology-state").toString());
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.streams.")) props.put("warm.ingest.topology.streams." + k.toString().substring("bench.streams.".length()), v);
        });
        Map<String, Object> result = new LinkedHashMap<>();
        try (EmbeddedServer server = IngestApplication.start(props)) {
            MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
            long t0 = 0, c0 = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            double passed;
            while ((passed = meters.counter("warm.ingest.topology.passed").count()) < n && System.nanoTime() < deadline) {
                if (t0 == 0 && passed > 0) {
                    t0 = System.nanoTime(); // from the first label processed: excludes start-up and the first rebalance
                    c0 = cpuNanos();
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            result.put("labels", n);
            result.put("labelsPerSec", round(passed / seconds));
            result.put("cpuMicrosPerLabel", round((cpuNanos() - c0) / 1e3 / passed));
            result.put("streamsOverrides", props.entrySet().stream().filter(e -> e.getKey().startsWith("warm.ingest.topology.streams."))
                    .collect(Collectors.toMap(e -> e.getKey().substring("warm.ingest.topology.streams.".length()), e -> String.valueOf(e.getValue()))));
        }
        return result;
    }
}
