package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.notBlank;
import static io.warmstream.platform.config.SettingChecks.positive;
import static io.warmstream.platform.config.SettingChecks.present;

/**
 * What the scorer serves and on what ({@code warm.scorer.*}), with the small groups under it: the onnxruntime
 * ({@code onnx.*}), the followed topic ({@code follower.*}), exports ({@code export.*}) and the compatibility
 * endpoints ({@code compat.*}). Defaults in {@code warmstream/scorer/application.yml}.
 */
@ConfigurationProperties(ScorerSettings.PREFIX)
public class ScorerSettings {

    public static final String PREFIX = "warm.scorer";
    private static final String P = PREFIX + ".";

    private String average;
    private String device;
    private String precision;
    private String runtime;
    private Integer torchThreads;
    private Boolean provisionTopics;
    private Duration closeTimeout;
    private Duration loadRetryBackoff;
    private Duration loadRetryBackoffMax;

    @PostConstruct
    void check() {
        notBlank(P + "average", average);
        notBlank(P + "device", device);
        notBlank(P + "precision", precision);
        notBlank(P + "runtime", runtime);
        atLeast(P + "torch-threads", torchThreads, 0);
        present(P + "provision-topics", provisionTopics);
        positive(P + "close-timeout", closeTimeout);
        positive(P + "load-retry-backoff", loadRetryBackoff);
        positive(P + "load-retry-backoff-max", loadRetryBackoffMax);
    }

    /** The average served (key of warm.models). */
    public String getAverage() { return average; }
    public void setAverage(String average) { this.average = average; }
    /** auto, cpu, gpu, gpu:N. */
    public String getDevice() { return device; }
    public void setDevice(String device) { this.device = device; }
    /** fp32, fp16 (GPUs). */
    public String getPrecision() { return precision; }
    public void setPrecision(String precision) { this.precision = precision; }
    /** auto (onnxruntime on CPU, DJL on GPU), djl or onnx. */
    public String getRuntime() { return runtime; }
    public void setRuntime(String runtime) { this.runtime = runtime; }
    /** PyTorch intra-op threads (JVM-wide); 0 keeps the engine's default. */
    public Integer getTorchThreads() { return torchThreads; }
    public void setTorchThreads(Integer torchThreads) { this.torchThreads = torchThreads; }
    public Boolean getProvisionTopics() { return provisionTopics; }
    public void setProvisionTopics(Boolean provisionTopics) { this.provisionTopics = provisionTopics; }
    public Duration getCloseTimeout() { return closeTimeout; }
    public void setCloseTimeout(Duration closeTimeout) { this.closeTimeout = closeTimeout; }
    /** The first pause before a version that did not load (or a registry lookup) is retried; doubles up to the max. */
    public Duration getLoadRetryBackoff() { return loadRetryBackoff; }
    public void setLoadRetryBackoff(Duration loadRetryBackoff) { this.loadRetryBackoff = loadRetryBackoff; }
    public Duration getLoadRetryBackoffMax() { return loadRetryBackoffMax; }
    public void setLoadRetryBackoffMax(Duration loadRetryBackoffMax) { this.loadRetryBackoffMax = loadRetryBackoffMax; }

    /** The onnxruntime ({@code warm.scorer.onnx.*}). */
    @ConfigurationProperties("onnx")
    public static class Onnx {
        private Integer threads;
        private Boolean spinning;

        @PostConstruct
        void check() {
            atLeast(P + "onnx.threads", threads, 0);
            present(P + "onnx.spinning", spinning);
        }

        /** Threads per forward pass; 0 = one per core. */
        public Integer getThreads() { return threads; }
        public void setThreads(Integer threads) { this.threads = threads; }
        /** Idle pool threads spin: lower latency on a dedicated machine, much worse on a busy one. */
        public Boolean getSpinning() { return spinning; }
        public void setSpinning(Boolean spinning) { this.spinning = spinning; }
    }

    /** The topic versions are followed on ({@code warm.scorer.follower.*}). */
    @ConfigurationProperties("follower")
    public static class Follower {
        private String topic;
        private Boolean preloadCandidates;

        @PostConstruct
        void check() {
            notBlank(P + "follower.topic", topic);
            present(P + "follower.preload-candidates", preloadCandidates);
        }

        public String getTopic() { return topic; }
        public void setTopic(String topic) { this.topic = topic; }
        /** Load the candidates the merger announces on warm.model-candidates ahead of their publication. */
        public Boolean getPreloadCandidates() { return preloadCandidates; }
        public void setPreloadCandidates(Boolean preloadCandidates) { this.preloadCandidates = preloadCandidates; }
    }

    /** Model archives ({@code warm.scorer.export.*}), built once per version and format. */
    @ConfigurationProperties("export")
    public static class Export {
        private String cacheDir;
        private Integer keep;

        @PostConstruct
        void check() {
            present(P + "export.cache-dir", cacheDir);
            atLeast(P + "export.keep", keep, 1);
        }

        /** Empty: {@code <java.io.tmpdir>/warm-scorer-exports}. */
        public String getCacheDir() { return cacheDir; }
        public void setCacheDir(String cacheDir) { this.cacheDir = cacheDir == null ? null : cacheDir.trim(); }
        public Integer getKeep() { return keep; }
        public void setKeep(Integer keep) { this.keep = keep; }
    }

    /** The OpenRLHF and vLLM-compatible endpoints ({@code warm.scorer.compat.*}). */
    @ConfigurationProperties("compat")
    public static class Compat {
        private String querySeparator;

        @PostConstruct
        void check() {
            present(P + "compat.query-separator", querySeparator);
        }

        /** Where a whole query sent without its prompt is split (its last occurrence); empty: such a query is refused. */
        public String getQuerySeparator() { return querySeparator; }
        public void setQuerySeparator(String querySeparator) { this.querySeparator = querySeparator; }
    }
}
