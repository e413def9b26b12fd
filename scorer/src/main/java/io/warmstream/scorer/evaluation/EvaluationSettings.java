package io.warmstream.scorer.evaluation;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test-set judge's settings ({@code warm.scorer.evaluation.*}). The judge runs only when {@code test-sets} names
 * at least one file.
 */
@ConfigurationProperties(EvaluationSettings.PREFIX)
public class EvaluationSettings {

    public static final String PREFIX = "warm.scorer.evaluation";
    public static final String TEST_SETS = PREFIX + ".test-sets";

    private String testSets = "";
    private int maxPairs = 2000;
    private int maxLength;
    private int cachedLayers = 4;
    private boolean members = true;
    private int queueLength = 16;
    private String baseModel = "";
    private int nice = 10;
    private String featureCacheDir = "";
    private long featureCacheDiskBytes = 2L << 30;

    /** {@code name=path} entries separated by commas, e.g. {@code gold-id=/data/id.jsonl,gold-ood=/data/ood.jsonl}. */
    public String getTestSets() {
        return testSets;
    }

    public void setTestSets(String testSets) {
        this.testSets = testSets == null ? "" : testSets.trim();
    }

    /** Pairs read from each file at most. */
    public int getMaxPairs() {
        return maxPairs;
    }

    public void setMaxPairs(int maxPairs) {
        this.maxPairs = require(maxPairs, 1, "max-pairs");
    }

    /** Tokens per sequence; 0 = the model's own maximum, which is what the scorer serves. */
    public int getMaxLength() {
        return maxLength;
    }

    public void setMaxLength(int maxLength) {
        this.maxLength = require(maxLength, 0, "max-length");
    }

    /** Bottom encoder layers whose output is cached across versions (the trainers' frozen layers); 0 = none. */
    public int getCachedLayers() {
        return cachedLayers;
    }

    public void setCachedLayers(int cachedLayers) {
        this.cachedLayers = require(cachedLayers, 0, "cached-layers");
    }

    /** Also judge each member of a served version (once per member). */
    public boolean isMembers() {
        return members;
    }

    public void setMembers(boolean members) {
        this.members = members;
    }

    /** Served versions waiting to be judged at most; when full, the oldest waiting one is skipped (and logged). */
    public int getQueueLength() {
        return queueLength;
    }

    public void setQueueLength(int queueLength) {
        this.queueLength = require(queueLength, 1, "queue-length");
    }

    /**
     * The base the trainers start from ({@code minilm-l6}, {@code bge-small}, a model directory; empty: unknown): the
     * judge computes its bottom layers for every test sequence at start, before the first version arrives.
     */
    public String getBaseModel() {
        return baseModel;
    }

    public void setBaseModel(String baseModel) {
        this.baseModel = baseModel == null ? "" : baseModel.trim();
    }

    /**
     * The judge thread's Linux nice value (0..19; 0: the JVM's priority): judging is monitoring, so loading a new
     * version and scoring requests get the CPU first ({@link io.warmstream.model.CpuPriority}).
     */
    public int getNice() {
        return nice;
    }

    public void setNice(int nice) {
        if (nice > 19) {
            throw new IllegalArgumentException(PREFIX + ".nice must be at most 19, got " + nice);
        }
        this.nice = require(nice, 0, "nice");
    }

    /**
     * A directory for the cached layers' output (empty: memory only). A restarted scorer, the other scorers of the
     * machine and {@code warm eval --stream}'s strategy replay read it instead of computing it again.
     */
    public String getFeatureCacheDir() {
        return featureCacheDir;
    }

    public void setFeatureCacheDir(String featureCacheDir) {
        this.featureCacheDir = featureCacheDir == null ? "" : featureCacheDir.trim();
    }

    /** The directory's bound in bytes (a number, or with a unit: 512MiB, 2GiB); oldest files evicted first. */
    public long getFeatureCacheDiskBytes() {
        return featureCacheDiskBytes;
    }

    public void setFeatureCacheDiskBytes(String featureCacheDiskBytes) {
        long bytes = io.warmstream.platform.config.ByteCount.parse(PREFIX + ".feature-cache-disk-bytes",
                featureCacheDiskBytes == null ? "" : featureCacheDiskBytes);
        if (bytes <= 0) {
            throw new IllegalArgumentException(PREFIX + ".feature-cache-disk-bytes must be positive, got " + bytes);
        }
        this.featureCacheDiskBytes = bytes;
    }

    /** {@link #getFeatureCacheDir()} as a path, or null for memory only. */
    public Path featureCacheDirectory() {
        return featureCacheDir.isEmpty() ? null : Path.of(featureCacheDir);
    }

    /** The configured files by name, in order. */
    public Map<String, Path> files() {
        Map<String, Path> out = new LinkedHashMap<>();
        if (testSets.isEmpty()) {
            return out;
        }
        for (String entry : testSets.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(TEST_SETS + ": '" + entry.trim() + "' is not name=path");
            }
            String name = entry.substring(0, eq).trim();
            if (out.put(name, Path.of(entry.substring(eq + 1).trim())) != null) {
                throw new IllegalArgumentException(TEST_SETS + ": test set '" + name + "' is named twice");
            }
        }
        return out;
    }

    /** Every configured test set, loaded. */
    public List<TestSet> load() {
        List<TestSet> sets = new ArrayList<>();
        files().forEach((name, file) -> sets.add(TestSet.load(name, file, maxPairs)));
        return sets;
    }

    private static int require(int value, int min, String key) {
        if (value < min) {
            throw new IllegalArgumentException(PREFIX + "." + key + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
