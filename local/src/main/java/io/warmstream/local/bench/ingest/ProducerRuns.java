package io.warmstream.local.bench.ingest;

import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.kafka.LabelProducer;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.TopicProvisioner;
import io.warmstream.schemas.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static io.warmstream.local.bench.ingest.BenchStats.cpuNanos;
import static io.warmstream.local.bench.ingest.BenchStats.median;
import static io.warmstream.local.bench.ingest.BenchStats.round;
import static io.warmstream.local.bench.ingest.BenchStats.round3;
import static io.warmstream.local.bench.ingest.BenchStats.rounded;
import static io.warmstream.local.bench.ingest.BenchStats.rounded3;

/** Direct production: Avro labels through EventSerdes against a raw-bytes baseline of the same sizes. */
final class ProducerRuns {

    static final String AVRO_TOPIC = "bench.avro";
    static final String BYTES_TOPIC = "bench.bytes";

    private ProducerRuns() {
    }

    /** One measured run: labels per second (wall clock) and this process's CPU time per label (broker included). */
    private record Run(double labelsPerSec, double cpuMicrosPerLabel) {
    }

    static void compare(EmbeddedKafka kafka, EmbeddedRegistry registry, int labels, int rounds,
                        Map<String, Object> overrides, Map<String, Object> out) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.provision(admin, List.of(new TopicSpec(AVRO_TOPIC, 3, Map.of(), PreferenceLabel.class),
                    new TopicSpec(BYTES_TOPIC, 3, Map.of(), null)), (short) 1);
        }
        Map<String, Object> producerConfig = LabelProducer.producerConfigs(KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl()),
                "bench-producer", overrides);
        EventSerdes serdes = EventSerdes.forRegistry(registry.ccompatUrl());
        Serializer<PreferenceLabel> avro = serdes.valueSerializer(PreferenceLabel.class);

        List<PreferenceLabel> sample = BenchLabels.generate(labels, new Random(42), "d");
        // Baseline payloads: random bytes, each exactly as long as that label's Avro encoding (framing included).
        Random random = new Random(7);
        List<byte[]> keys = new ArrayList<>(labels);
        List<byte[]> payloads = new ArrayList<>(labels);
        long avroBytes = 0, chars = 0;
        for (PreferenceLabel l : sample) {
            int size = avro.serialize(AVRO_TOPIC, l).length;
            avroBytes += size;
            chars += l.getPrompt().length() + l.getChosen().length() + l.getRejected().length();
            byte[] p = new byte[size];
            random.nextBytes(p);
            payloads.add(p);
            keys.add(l.getId().getBytes(StandardCharsets.UTF_8));
        }
        out.put("labels", labels);
        out.put("avgTextChars", chars / labels);
        out.put("avgAvroBytes", avroBytes / labels);

        // Warm-up: two full passes each (JIT, registry cache, page cache); the Avro path needs more than a slice
        // to be compiled, and an unwarmed first round would understate it.
        for (int w = 0; w < 2; w++) {
            runBytes(producerConfig, keys, payloads);
            runAvro(producerConfig, avro, sample);
        }
        // Short alternating rounds (order flipped every round), so load from other processes on the machine hits
        // both sides alike; the median of the per-round ratios is the figure to read.
        List<Run> direct = new ArrayList<>(), baseline = new ArrayList<>();
        List<Double> ratios = new ArrayList<>(), cpuRatios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Run c, b;
            if (r % 2 == 0) {
                c = runBytes(producerConfig, keys, payloads);
                b = runAvro(producerConfig, avro, sample);
            } else {
                b = runAvro(producerConfig, avro, sample);
                c = runBytes(producerConfig, keys, payloads);
            }
            baseline.add(c);
            direct.add(b);
            ratios.add(b.labelsPerSec() / c.labelsPerSec());
            cpuRatios.add(c.cpuMicrosPerLabel() / b.cpuMicrosPerLabel());
        }
        out.put("rawBaseline", figures(baseline, avroBytes / labels));
        out.put("directAvro", figures(direct, avroBytes / labels));
        out.put("directOverBaseline", round3(median(ratios)));
        out.put("directOverBaselineRounds", rounded3(ratios));
        out.put("directOverBaselineByCpu", round3(median(cpuRatios)));
        Map<String, Object> shown = new LinkedHashMap<>(producerConfig);
        shown.remove("bootstrap.servers");
        out.put("producerConfig", shown);
    }

    private static double best(List<Run> runs) {
        return runs.stream().mapToDouble(Run::labelsPerSec).max().orElse(0);
    }

    private static Map<String, Object> figures(List<Run> runs, long bytesPerLabel) {
        Map<String, Object> m = new LinkedHashMap<>();
        double median = median(runs.stream().map(Run::labelsPerSec).toList());
        m.put("labelsPerSecMedian", round(median));
        m.put("labelsPerSecBest", round(best(runs)));
        m.put("mbPerSecMedian", round(median * bytesPerLabel / 1e6));
        m.put("runs", rounded(runs.stream().map(Run::labelsPerSec).toList()));
        m.put("cpuMicrosPerLabel", rounded(runs.stream().map(Run::cpuMicrosPerLabel).toList()));
        return m;
    }

    private static Run runAvro(Map<String, Object> config, Serializer<PreferenceLabel> avro, List<PreferenceLabel> labels) throws Exception {
        try (KafkaProducer<String, PreferenceLabel> p = new KafkaProducer<>(config, new StringSerializer(), avro)) {
            p.partitionsFor(AVRO_TOPIC);
            Acks acks = new Acks(labels.size());
            long t0 = System.nanoTime(), c0 = cpuNanos();
            for (PreferenceLabel l : labels) p.send(new ProducerRecord<>(AVRO_TOPIC, l.getId(), l), acks);
            acks.await();
            return new Run(labels.size() / ((System.nanoTime() - t0) / 1e9), (cpuNanos() - c0) / 1e3 / labels.size());
        }
    }

    private static Run runBytes(Map<String, Object> config, List<byte[]> keys, List<byte[]> payloads) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.partitionsFor(BYTES_TOPIC);
            Acks acks = new Acks(payloads.size());
            long t0 = System.nanoTime(), c0 = cpuNanos();
            for (int i = 0; i < payloads.size(); i++) p.send(new ProducerRecord<>(BYTES_TOPIC, keys.get(i), payloads.get(i)), acks);
            acks.await();
            return new Run(payloads.size() / ((System.nanoTime() - t0) / 1e9), (cpuNanos() - c0) / 1e3 / payloads.size());
        }
    }

    /** Counts acknowledgements; any failure fails the run. */
    static final class Acks implements Callback {
        private final CountDownLatch left;
        private final AtomicReference<Exception> error = new AtomicReference<>();

        Acks(int n) {
            left = new CountDownLatch(n);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception e) {
            if (e != null) error.compareAndSet(null, e);
            left.countDown();
        }

        void await() throws Exception {
            left.await();
            if (error.get() != null) throw error.get();
        }
    }
}
