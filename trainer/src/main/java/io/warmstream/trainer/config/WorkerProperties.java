package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.annotation.PostConstruct;

import java.time.Duration;
import java.util.Map;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.between;
import static io.warmstream.platform.config.SettingChecks.notBlank;
import static io.warmstream.platform.config.SettingChecks.positive;
import static io.warmstream.platform.config.SettingChecks.present;

/** A worker that fine-tunes the jobs ({@code warm.trainer.worker.*}). */
@ConfigurationProperties(WorkerProperties.PREFIX)
public class WorkerProperties {

    public static final String PREFIX = "warm.trainer.worker";
    private static final String P = PREFIX + ".";

    private Boolean enabled;
    private String groupId;
    private String id;
    private String device;
    private String precision;
    private Integer progressEvery;
    private Boolean supersede;
    private String workDir;
    private Duration dataTimeout;
    private Duration storeRetryBackoff;
    private Duration storeRetryBackoffMax;
    private Integer nice;
    private Map<String, Object> consumer = Map.of();
    private Map<String, Object> producer = Map.of();

    @PostConstruct
    void check() {
        present(P + "enabled", enabled);
        notBlank(P + "group-id", groupId);
        present(P + "id", id);
        notBlank(P + "device", device);
        notBlank(P + "precision", precision);
        atLeast(P + "progress-every", progressEvery, 1);
        present(P + "supersede", supersede);
        present(P + "work-dir", workDir);
        positive(P + "data-timeout", dataTimeout);
        positive(P + "store-retry-backoff", storeRetryBackoff);
        positive(P + "store-retry-backoff-max", storeRetryBackoffMax);
        present(P + "nice", nice);
        between(P + "nice", nice.doubleValue(), 0, 19);
    }

    /** false: a planner-only instance. */
    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public String getGroupId() { return groupId; }
    public void setGroupId(String groupId) { this.groupId = trim(groupId); }
    /** Empty: {@code <host>-<random>}. Stable ids let a restarted worker abort its predecessor's transaction at once. */
    public String getId() { return id; }
    public void setId(String id) { this.id = trim(id); }
    /** auto (GPU when DJL sees one), cpu, gpu, gpu:N. */
    public String getDevice() { return device; }
    public void setDevice(String device) { this.device = trim(device); }
    /** fp32, or fp16 (on a GPU only). */
    public String getPrecision() { return precision; }
    public void setPrecision(String precision) { this.precision = trim(precision); }
    public Integer getProgressEvery() { return progressEvery; }
    public void setProgressEvery(Integer progressEvery) { this.progressEvery = progressEvery; }
    /** Skip a job a newer job of its average covers. */
    public Boolean getSupersede() { return supersede; }
    public void setSupersede(Boolean supersede) { this.supersede = supersede; }
    /** Empty: {@code <java.io.tmpdir>/warm-trainer-<worker id>}. */
    public String getWorkDir() { return workDir; }
    public void setWorkDir(String workDir) { this.workDir = trim(workDir); }
    public Duration getDataTimeout() { return dataTimeout; }
    public void setDataTimeout(Duration dataTimeout) { this.dataTimeout = dataTimeout; }
    public Duration getStoreRetryBackoff() { return storeRetryBackoff; }
    public void setStoreRetryBackoff(Duration storeRetryBackoff) { this.storeRetryBackoff = storeRetryBackoff; }
    public Duration getStoreRetryBackoffMax() { return storeRetryBackoffMax; }
    public void setStoreRetryBackoffMax(Duration storeRetryBackoffMax) { this.storeRetryBackoffMax = storeRetryBackoffMax; }
    /** The training thread's Linux nice value (0..19): serving and merging on the machine get the CPU first. */
    public Integer getNice() { return nice; }
    public void setNice(Integer nice) { this.nice = nice; }
    /** Raw consumer settings over ours. */
    public Map<String, Object> getConsumer() { return consumer; }

    public void setConsumer(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> consumer) {
        this.consumer = consumer == null ? Map.of() : Map.copyOf(consumer);
    }

    /** Raw producer settings over ours. */
    public Map<String, Object> getProducer() { return producer; }

    public void setProducer(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> producer) {
        this.producer = producer == null ? Map.of() : Map.copyOf(producer);
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
