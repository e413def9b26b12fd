package io.warmstream.local.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The result files in bench/results: one NAME.json per benchmark, and summary.json built from them. */
public final class ResultFiles {

    public static final String SUMMARY = "summary.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A result file's name (relative to the results folder) and its content. */
    public record Result(String file, Map<String, Object> content) {
    }

    private ResultFiles() {
    }

    /** Every benchmark result in the folder, by file name (summary.json excluded). */
    public static List<Result> read(Path dir) {
        List<Result> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(SUMMARY)) {
                    out.add(new Result(name, JSON.readValue(p.toFile(), new TypeReference<Map<String, Object>>() {})));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static void write(Path file, Object content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(content) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
