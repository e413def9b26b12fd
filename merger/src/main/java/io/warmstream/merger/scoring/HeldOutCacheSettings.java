package io.warmstream.merger.scoring;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.ReadableBytes;

import java.time.Duration;

/**
 * The held-out scoring fast path ({@code warm.merger.guard.feature-cache.*}), used by the LMC guard and the quality
 * gate: the hidden states that leave the shared frozen bottom of the encoder are computed once per held-out sequence
 * and each model runs only its top layers on them. See {@link FrozenBottomScorer}.
 */
@ConfigurationProperties(HeldOutCacheSettings.PREFIX)
public class HeldOutCacheSettings {

    public static final String PREFIX = "warm.merger.guard.feature-cache";

    private boolean enabled = true;
    private long memoryBytes = 512L << 20;
    private int cachedLayers = 4;
    private String baseModel = "";
    private int maxLength;
    private Duration prewarmInterval = Duration.ofSeconds(10);
    private int prewarmNice = 10;

    /** False: every model runs the whole network on every held-out label. */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Heap for cached hidden states (least recently used evicted), capped at half the heap. About
     * {@code 2 x labels x tokens x hidden x 4} bytes holds the whole sample: 512 labels of 128 tokens on MiniLM (hidden
     * 384) take 200 MB. Accepts 536870912, 512MB, 1GB.
     */
    public long getMemoryBytes() {
        return memoryBytes;
    }

    public void setMemoryBytes(@ReadableBytes long memoryBytes) {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException(PREFIX + ".memory-bytes must be >= 0, got " + memoryBytes);
        }
        this.memoryBytes = memoryBytes;
    }

    /**
     * Bottom encoder layers whose output is cached: the layers the trainers keep frozen (6-layer MiniLM with the CPU
     * default of 2 trainable layers: 4). Capped at the model's layers - 1; a model with any of these layers (or its
     * embeddings) different from the cached bottom runs whole.
     */
    public int getCachedLayers() {
        return cachedLayers;
    }

    public void setCachedLayers(int cachedLayers) {
        if (cachedLayers < 0) {
            throw new IllegalArgumentException(PREFIX + ".cached-layers must be >= 0, got " + cachedLayers);
        }
        this.cachedLayers = cachedLayers;
    }

    /**
     * Where the cached bottom comes from: a base name ({@code minilm-l6}, {@code bge-small}) or model directory the
     * members were trained from; empty: the first model scored (the first new member).
     */
    public String getBaseModel() {
        return baseModel;
    }

    public void setBaseModel(String baseModel) {
        this.baseModel = baseModel == null ? "" : baseModel.trim();
    }

    /**
     * Tokens per (prompt, response) the cache opened at start is for; 0: the base's maximum positions, which is what
     * a stored model scores at (512 for MiniLM). A model of another length reopens the cache at its own.
     */
    public int getMaxLength() {
        return maxLength;
    }

    public void setMaxLength(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException(PREFIX + ".max-length must be >= 0, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** Whether the cache opens before the first model: a base is configured. */
    public boolean opensAtStart() {
        return enabled && !baseModel.isEmpty();
    }

    /**
     * How often the held-out sample's missing bottom features are computed between checkpoints (after the first
     * model opened the cache, or from the start with {@link #opensAtStart()}), so the checks of the next checkpoint run
     * only the top layers. 0: never ahead of time.
     */
    public Duration getPrewarmInterval() {
        return prewarmInterval;
    }

    public void setPrewarmInterval(Duration prewarmInterval) {
        if (prewarmInterval == null || prewarmInterval.isNegative()) {
            throw new IllegalArgumentException(PREFIX + ".prewarm-interval must be >= 0, got " + prewarmInterval);
        }
        this.prewarmInterval = prewarmInterval;
    }

    /**
     * The prewarm thread's Linux nice value (0..19), with the engine threads it starts: its work is never urgent, so
     * a checkpoint's checks on this merger and a scorer loading a version on the same machine get the cores first.
     */
    public int getPrewarmNice() {
        return prewarmNice;
    }

    public void setPrewarmNice(int prewarmNice) {
        if (prewarmNice < 0 || prewarmNice > 19) {
            throw new IllegalArgumentException(PREFIX + ".prewarm-nice must be in 0..19, got " + prewarmNice);
        }
        this.prewarmNice = prewarmNice;
    }
}
