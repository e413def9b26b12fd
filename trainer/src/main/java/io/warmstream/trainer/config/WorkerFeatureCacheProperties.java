package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.platform.config.ByteCount;
import io.warmstream.trainer.work.FeatureCacheSettings;
import jakarta.annotation.PostConstruct;

import java.nio.file.Path;

import static io.warmstream.platform.config.SettingChecks.present;

/**
 * The worker's cache of frozen-bottom outputs ({@code warm.trainer.worker.feature-cache.*}); byte sizes as numbers or
 * with a unit ({@code 1GiB}, {@code 512MiB}).
 */
@ConfigurationProperties(WorkerFeatureCacheProperties.PREFIX)
public class WorkerFeatureCacheProperties {

    public static final String PREFIX = "warm.trainer.worker.feature-cache";

    private Boolean enabled;
    private String memoryBytes;
    private String diskDir;
    private String diskBytes;

    @PostConstruct
    void check() {
        settings();
    }

    /** The settings, checked: sizes parse, nothing missing. */
    public FeatureCacheSettings settings() {
        String dir = present(PREFIX + ".disk-dir", diskDir);
        return new FeatureCacheSettings(present(PREFIX + ".enabled", enabled),
                ByteCount.parse(PREFIX + ".memory-bytes", present(PREFIX + ".memory-bytes", memoryBytes)),
                dir.isBlank() ? null : Path.of(dir),
                ByteCount.parse(PREFIX + ".disk-bytes", present(PREFIX + ".disk-bytes", diskBytes)));
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public String getMemoryBytes() { return memoryBytes; }
    public void setMemoryBytes(String memoryBytes) { this.memoryBytes = memoryBytes; }
    /** Empty: no disk tier. */
    public String getDiskDir() { return diskDir; }
    public void setDiskDir(String diskDir) { this.diskDir = diskDir == null ? null : diskDir.trim(); }
    public String getDiskBytes() { return diskBytes; }
    public void setDiskBytes(String diskBytes) { this.diskBytes = diskBytes; }
}
