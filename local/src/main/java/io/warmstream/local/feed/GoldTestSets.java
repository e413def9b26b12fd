package io.warmstream.local.feed;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.eval.world.LabelsJsonl;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's clean test sets: preference-world pairs ordered by the gold reward (never by the noisy labeller), one
 * set in distribution (the training topics and policy, disjoint tasks) and one out of distribution (unseen topics,
 * shifted policy). The scorer's test-set judge scores every served version on them, so "is version N+1 better"
 * is answered against the truth. The files are a pure function of the world's seed and size, rewritten only when
 * missing.
 */
public final class GoldTestSets {

    /** Name of the in-distribution set, as it appears in evaluations. */
    public static final String IN_DISTRIBUTION = "gold-id";
    /** Name of the out-of-distribution set. */
    public static final String OUT_OF_DISTRIBUTION = "gold-ood";

    private GoldTestSets() {
    }

    /** Writes (if missing) both sets of {@code pairs} pairs under {@code dir}; returns the files by set name. */
    public static Map<String, Path> write(PreferenceWorld world, int pairs, Path dir) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(IN_DISTRIBUTION, write(world, Split.VALIDATION_ID, pairs,
                dir.resolve("gold-id-" + world.config().seed() + "-" + pairs + ".jsonl")));
        files.put(OUT_OF_DISTRIBUTION, write(world, Split.OOD, pairs,
                dir.resolve("gold-ood-" + world.config().seed() + "-" + pairs + ".jsonl")));
        return files;
    }

    /** The property value the scorer's judge reads: {@code name=path,...}. */
    public static String property(Map<String, Path> files) {
        return String.join(",", files.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** Pairs {@code 0..pairs-1} of a split, the gold-better response as {@code chosen}. */
    public static List<LabelledPair> pairs(PreferenceWorld world, Split split, int pairs) {
        return world.labels(split, pairs).map(GoldTestSets::goldOrdered).toList();
    }

    static LabelledPair goldOrdered(LabelledPair l) {
        double margin = Double.parseDouble(l.metadata().get(LabelledPair.GOLD_MARGIN));
        if (margin > 0) {
            return l;
        }
        Map<String, String> m = new LinkedHashMap<>(l.metadata());
        m.put(LabelledPair.GOLD_CHOSEN, l.metadata().get(LabelledPair.GOLD_REJECTED));
        m.put(LabelledPair.GOLD_REJECTED, l.metadata().get(LabelledPair.GOLD_CHOSEN));
        m.put(LabelledPair.GOLD_MARGIN, Double.toString(-margin));
        return new LabelledPair(l.id(), l.prompt(), l.rejected(), l.chosen(), l.labeller(), l.source(), l.confidence(),
                l.createdAt(), m);
    }

    private static Path write(PreferenceWorld world, Split split, int pairs, Path file) {
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (LabelledPair p : pairs(world, split, pairs)) {
                    w.write(LabelsJsonl.toJson(p));
                    w.newLine();
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test set " + file, e);
        }
    }
}
