package io.warmstream.ingest.rules;

/**
 * Size limits applied to every label, in Unicode code points (so a limit means the same for any script).
 *
 * @param idChars            longest accepted id
 * @param promptChars        longest accepted prompt
 * @param responseChars      longest accepted chosen / rejected response
 * @param nameChars          longest accepted labeller / source
 * @param metadataEntries    most metadata entries
 * @param metadataChars      longest metadata key or value
 */
public record LabelLimits(int idChars, int promptChars, int responseChars, int nameChars,
                          int metadataEntries, int metadataChars) {

    public static final int DEFAULT_ID_CHARS = 128;
    public static final int DEFAULT_PROMPT_CHARS = 32_768;
    public static final int DEFAULT_RESPONSE_CHARS = 32_768;
    public static final int DEFAULT_NAME_CHARS = 256;
    public static final int DEFAULT_METADATA_ENTRIES = 64;
    public static final int DEFAULT_METADATA_CHARS = 1_024;

    public LabelLimits {
        if (idChars < 1 || promptChars < 1 || responseChars < 1 || nameChars < 1 || metadataEntries < 0 || metadataChars < 1) {
            throw new IllegalArgumentException("label limits must be positive: " + this);
        }
    }

    public static LabelLimits defaults() {
        return new LabelLimits(DEFAULT_ID_CHARS, DEFAULT_PROMPT_CHARS, DEFAULT_RESPONSE_CHARS, DEFAULT_NAME_CHARS,
                DEFAULT_METADATA_ENTRIES, DEFAULT_METADATA_CHARS);
    }
}
