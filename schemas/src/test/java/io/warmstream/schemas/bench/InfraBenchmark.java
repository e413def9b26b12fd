package io.warmstream.schemas.bench;

import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.SchemaRegistration;
import io.warmstream.schemas.Topics;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one JSON object: start/stop times of the embedded broker and registry, and the cost of the
 * registry-backed serdes against plain Avro binary encoding of the same labels (the framing and schema-id
 * lookup are the only difference). Run: {@code ./mvnw -B -q -o -pl schemas test-compile exec:java}.
 * Optional argument: number of labels (default 200000).
 */
public final class InfraBenchmark {

    private InfraBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labels", n);
        out.put("cores", Runtime.getRuntime().availableProcessors());

        Path dir = Files.createTempDirectory("warm-bench-kafka-");
        long t = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.start(dir);
        out.put("kafkaColdStartMs", ms(t));
        t = System.nanoTime();
        kafka.close();
        out.put("kafkaStopMs", ms(t));
        t = System.nanoTime();
        kafka = EmbeddedKafka.start(dir);
        out.put("kafkaRestartSameDirMs", ms(t));
        kafka.close();

        t = System.nanoTime();
        try (EmbeddedRegistry registry = EmbeddedRegistry.start()) {
            out.put("registryStartMs", ms(t));
            SchemaRegistration.registerAll(registry.ccompatUrl(), Topics.all());
            PreferenceLabel[] labels = labels(n);
            EventSerdes serdes = EventSerdes.forRegistry(registry.ccompatUrl());
            try (Serializer<PreferenceLabel> ser = serdes.valueSerializer(PreferenceLabel.class);
                 Deserializer<PreferenceLabel> de = serdes.valueDeserializer(PreferenceLabel.class)) {
                byte[][] encoded = new byte[n][];
                for (int round = 0; round < 2; round++) { // the first round warms up the JIT
                    t = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        encoded[i] = ser.serialize(Topics.PREFERENCES, labels[i]);
                    }
                    out.put("serdeSerializePerSec", perSec(n, t));
                    t = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        de.deserialize(Topics.PREFERENCES, encoded[i]);
                    }
                    out.put("serdeDeserializePerSec", perSec(n, t));
                }
                out.put("bytesPerLabel", encoded[0].length);
            }
            try (Serializer<PreferenceLabel> uncached = new EventSerdes(Map.of(EventSerdes.REGISTRY_URL, registry.ccompatUrl(),
                    EventSerdes.ID_CACHE, "false")).valueSerializer(PreferenceLabel.class)) {
                for (int round = 0; round < 2; round++) {
                    t = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        uncached.serialize(Topics.PREFERENCES, labels[i]);
                    }
                    out.put("apicurioUncachedSerializePerSec", perSec(n, t));
                }
            }
            plainAvro(labels, out);
            t = System.nanoTime();
        }
        out.put("registryStopMs", ms(t));
        out.put("serializeRatioVsPlainAvro", ratio(out, "serdeSerializePerSec", "plainSerializePerSec"));
        out.put("deserializeRatioVsPlainAvro", ratio(out, "serdeDeserializePerSec", "plainDeserializePerSec"));
        System.out.println(toJson(out));
        System.exit(0);
    }

    private static void plainAvro(PreferenceLabel[] labels, Map<String, Object> out) throws Exception {
        int n = labels.length;
        SpecificDatumWriter<PreferenceLabel> writer = new SpecificDatumWriter<>(PreferenceLabel.class);
        SpecificDatumReader<PreferenceLabel> reader = new SpecificDatumReader<>(PreferenceLabel.class);
        byte[][] encoded = new byte[n][];
        BinaryEncoder encoder = null;
        BinaryDecoder decoder = null;
        for (int round = 0; round < 2; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
                encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
                writer.write(labels[i], encoder);
                encoder.flush();
                encoded[i] = bytes.toByteArray();
            }
            out.put("plainSerializePerSec", perSec(n, t));
            t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                decoder = DecoderFactory.get().binaryDecoder(encoded[i], decoder);
                reader.read(null, decoder);
            }
            out.put("plainDeserializePerSec", perSec(n, t));
        }
    }

    private static PreferenceLabel[] labels(int n) {
        PreferenceLabel[] labels = new PreferenceLabel[n];
        for (int i = 0; i < n; i++) {
            labels[i] = PreferenceLabel.newBuilder()
                    .setId("label-" + i).setPrompt("Summarise the following post in one sentence: post number " + i)
                    .setChosen("A short, faithful summary of post " + i + ".")
                    .setRejected("An unrelated rambling answer about something else entirely, number " + i + ".")
                    .setLabeller("ai-labeller-" + (i % 7)).setSource("bench").setConfidence((i % 100) / 100.0)
                    .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + i)).build();
        }
        return labels;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long perSec(int n, long t0) {
        return Math.round(n / ((System.nanoTime() - t0) / 1e9));
    }

    private static double ratio(Map<String, Object> out, String a, String b) {
        return Math.round(100.0 * ((Number) out.get(a)).doubleValue() / ((Number) out.get(b)).doubleValue()) / 100.0;
    }

    private static String toJson(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                .append(v instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : v));
        return sb.append('}').toString();
    }
}
