package io.warmstream.local.bench.model;

import io.warmstream.model.PreferencePair;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** What the model-level benchmarks share: preference pairs of random words (no data set needed) and the load to record. */
public final class BenchTexts {

    private BenchTexts() {
    }

    /** {@code n} pairs of random words from {@code words}: a prompt of {@code promptWords}, two responses of {@code responseWords}. */
    public static List<PreferencePair> pairs(String[] words, int n, long seed, int promptWords, int responseWords) {
        Random r = new Random(seed);
        List<PreferencePair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PreferencePair(text(r, words, promptWords), text(r, words, responseWords), text(r, words, responseWords)));
        }
        return out;
    }

    /** /proc/loadavg as it reads, or the JVM's one-minute figure where there is none: the machine may be shared. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String text(Random r, String[] words, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
        }
        return sb.toString();
    }
}
