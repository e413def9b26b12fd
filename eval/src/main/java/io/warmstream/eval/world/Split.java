package io.warmstream.eval.world;

/**
 * Which part of the preference world a task or label comes from.
 *
 * <p>{@link #TRAIN} and {@link #VALIDATION_ID} draw from the same (in-distribution) topics and the same candidate
 * policy but from disjoint random streams. {@link #OOD} draws from topics never used for training and from a shifted
 * candidate policy (see {@link WorldConfig#oodShift()}): longer outputs, higher coverage, subtler hallucinations.
 * Flipped labels are only ever injected into {@link #TRAIN}.
 */
public enum Split {
    TRAIN("train"),
    VALIDATION_ID("validation"),
    OOD("ood");

    private final String slug;

    Split(String slug) {
        this.slug = slug;
    }

    /** Short lower-case name used in ids, metadata and on the command line. */
    public String slug() {
        return slug;
    }

    /** Parses a slug or enum name ("train", "validation", "validation_id", "ood"), case-insensitively. */
    public static Split parse(String text) {
        for (Split split : values()) {
            if (split.slug.equalsIgnoreCase(text) || split.name().equalsIgnoreCase(text)) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split '" + text + "' (expected train, validation or ood)");
    }
}
