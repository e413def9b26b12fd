package io.warmstream.schemas;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards schema evolution across releases. {@code src/test/resources/schema-baseline/v*} hold every topic's
 * value schema as released; the current schemas must read data written with each of them (BACKWARD), both by
 * Avro's own rules and by the registry. When a release changes schemas, add a new baseline directory; never
 * edit an old one.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class SchemaFilesCompatibilityTest {

    private static final Path AVRO_SOURCES = Path.of("src/main/avro");
    private static final Path BASELINES = Path.of("src/test/resources/schema-baseline");

    @Test
    void everyAvscFileParsesAndBelongsToAGeneratedClass() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(AVRO_SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        assertTrue(files.size() >= 11, "found " + files);
        Schema.Parser parser = new Schema.Parser();
        // Shared types first, in the order the build imports them.
        parser.parse(AVRO_SOURCES.resolve("OffsetRange.avsc").toFile());
        parser.parse(AVRO_SOURCES.resolve("Hyperparameters.avsc").toFile());
        for (Path file : files) {
            Schema fromFile = parser.getTypes().containsKey(fullName(file)) ? parser.getTypes().get(fullName(file))
                    : parser.parse(file.toFile());
            Schema generated = SpecificData.get().getSchema(Class.forName(fromFile.getFullName()));
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(generated, fromFile).getType(), file.toString());
        }
    }

    @Test
    void currentSchemasReadEveryBaseline() throws Exception {
        List<Path> baselines = baselineFiles();
        assertFalse(baselines.isEmpty());
        for (Path baseline : baselines) {
            Schema old = new Schema.Parser().parse(baseline.toFile());
            Schema current = currentSchemaFor(baseline);
            SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType(),
                    baseline + ": " + result.getDescription());
        }
    }

    @Test
    void registryAcceptsEveryBaselineFollowedByTheCurrentSchemaUnderBackward(EmbeddedRegistry registry) throws Exception {
        String prefix = "baseline-" + UUID.randomUUID() + ".";
        for (Path baseline : baselineFiles()) {
            String subject = prefix + baseline.getParent().getFileName() + "." + baseline.getFileName().toString().replace(".avsc", "");
            SchemaRegistration.register(registry.ccompatUrl(), subject, new Schema.Parser().parse(baseline.toFile()));
            SchemaRegistration.setCompatibility(registry.ccompatUrl(), subject, "BACKWARD");
            // Throws IncompatibleSchemaException (HTTP 409) if the registry disagrees.
            SchemaRegistration.register(registry.ccompatUrl(), subject, currentSchemaFor(baseline));
        }
    }

    @Test
    void registeringTheCatalogueTwiceIsIdempotentAndLeavesBackwardOnEverySubject(EmbeddedRegistry registry) throws Exception {
        Map<String, Integer> first = SchemaRegistration.registerAll(registry.ccompatUrl(), Topics.all());
        Map<String, Integer> second = SchemaRegistration.registerAll(registry.ccompatUrl(), Topics.all());
        assertEquals(first, second);
        assertEquals(Topics.all().stream().filter(s -> !s.isDeadLetter()).count(), first.size());
        for (TopicSpec spec : Topics.all()) {
            if (spec.isDeadLetter()) {
                continue;
            }
            String subject = spec.valueSubject();
            RegistryHttp.Answer config = RegistryHttp.get(registry.ccompatUrl() + "/config/" + subject);
            assertEquals("BACKWARD", config.body().path("compatibilityLevel").asText(), subject + " " + config.body());
            RegistryHttp.Answer check = RegistryHttp.post(registry.ccompatUrl() + "/compatibility/subjects/" + subject + "/versions/latest",
                    Map.of("schema", SpecificData.get().getSchema(spec.valueType()).toString()));
            assertTrue(check.body().path("is_compatible").asBoolean(false), subject + " " + check.body());
        }
    }

    private static List<Path> baselineFiles() throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(BASELINES)) {
            s.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(out::add);
        }
        return out;
    }

    /** Baseline files are named {@code <topic>-value.avsc}. */
    private static Schema currentSchemaFor(Path baseline) {
        String topic = baseline.getFileName().toString().replace("-value.avsc", "");
        return SpecificData.get().getSchema(Topics.spec(topic).valueType());
    }

    private static String fullName(Path avsc) {
        return "io.warmstream.events." + avsc.getFileName().toString().replace(".avsc", "");
    }
}
