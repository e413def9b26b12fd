package io.warmstream.local.bench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.warmstream.events.PreferenceLabel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Benchmark labels of realistic size, and HTTP bodies made of them. */
final class BenchLabels {

    private static final String[] WORDS = ("the a model answer reward preference human policy label summary reddit post "
            + "because however therefore kind helpful honest harmless concise detailed explain why which reply better worse "
            + "user assistant question context long short safe unsafe response chosen rejected average weight fine tune "
            + "encoder shared stream kafka data drift hacking robust noise example").split(" ");

    private BenchLabels() {
    }

    /** Labels with realistic text: prompt 200-500 characters, responses 150-400 each. */
    static List<PreferenceLabel> generate(int n, Random random, String prefix) {
        List<PreferenceLabel> out = new ArrayList<>(n);
        Instant t = Instant.parse("2024-05-01T12:00:00Z");
        for (int i = 0; i < n; i++) {
            out.add(new PreferenceLabel(prefix + "-" + i + "-" + Long.toHexString(random.nextLong()),
                    text(random, 200 + random.nextInt(300)), text(random, 150 + random.nextInt(250)),
                    text(random, 150 + random.nextInt(250)), "labeller-" + random.nextInt(50), "bench",
                    random.nextDouble(), t.plusMillis(i), null));
        }
        return out;
    }

    private static String text(Random random, int chars) {
        StringBuilder b = new StringBuilder(chars + 16);
        while (b.length() < chars) b.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        b.setLength(chars);
        return b.toString();
    }

    /** JSON arrays (or NDJSON) of {@code batch} labels each, ready to post. */
    static List<byte[]> bodies(List<PreferenceLabel> labels, int batch, boolean ndjson) throws IOException {
        JsonFactory json = new JsonFactory();
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < labels.size(); from += batch) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            List<PreferenceLabel> slice = labels.subList(from, Math.min(labels.size(), from + batch));
            if (!ndjson) buf.write('[');
            for (int i = 0; i < slice.size(); i++) {
                if (i > 0) buf.write(ndjson ? '\n' : ',');
                StringWriter w = new StringWriter();
                try (JsonGenerator g = json.createGenerator(w)) {
                    PreferenceLabel l = slice.get(i);
                    g.writeStartObject();
                    g.writeStringField("id", l.getId());
                    g.writeStringField("prompt", l.getPrompt());
                    g.writeStringField("chosen", l.getChosen());
                    g.writeStringField("rejected", l.getRejected());
                    g.writeStringField("labeller", l.getLabeller());
                    g.writeStringField("source", l.getSource());
                    g.writeNumberField("confidence", l.getConfidence());
                    g.writeStringField("createdAt", l.getCreatedAt().toString());
                    g.writeEndObject();
                }
                buf.write(w.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (!ndjson) buf.write(']');
            bodies.add(buf.toByteArray());
        }
        return bodies;
    }
}
