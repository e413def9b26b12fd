package io.warmstream.scorer.export;

import java.util.Locale;

/** Archive formats of a model export. */
public enum ArchiveFormat {
    TAR_GZ("tar.gz", "application/gzip"),
    ZIP("zip", "application/zip");

    private final String extension;
    private final String mediaType;

    ArchiveFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** "tar.gz" (also "tgz", the default when blank) or "zip"; {@link IllegalArgumentException} otherwise. */
    public static ArchiveFormat parse(String s) {
        if (s == null || s.isBlank()) {
            return TAR_GZ;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "tar.gz", "tgz", "targz" -> TAR_GZ;
            case "zip" -> ZIP;
            default -> throw new IllegalArgumentException("format must be tar.gz or zip, got \"" + s + "\"");
        };
    }
}
