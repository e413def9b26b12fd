package io.warmstream.ingest;

/**
 * Bounds on one {@code POST /v1/preferences} request, checked while the body is parsed so that a huge or deeply
 * nested body is refused before it is materialised or costs more than a fraction of a second of CPU.
 *
 * @param maxItems          labels (array elements or non-blank NDJSON lines) per request; one more is a 413
 * @param listedRejections  refused items listed one by one in a reply; beyond it the reply summarises by reason
 * @param maxDepth          JSON nesting depth (a label needs 3: array, object, metadata); deeper is a 422
 * @param maxTokens         JSON tokens per body (JSON) or per line (NDJSON); more is a 413
 */
public record RequestLimits(int maxItems, int listedRejections, int maxDepth, int maxTokens) {

    public static final int DEFAULT_MAX_ITEMS = 10_000;
    public static final int DEFAULT_LISTED_REJECTIONS = 500;
    public static final int DEFAULT_MAX_DEPTH = 16;
    public static final int DEFAULT_MAX_TOKENS = 2_000_000;

    public RequestLimits {
        if (maxItems < 1 || listedRejections < 0 || maxDepth < 3 || maxTokens < 16) {
            throw new IllegalArgumentException("request limits out of range (max-items >= 1, listed-rejections >= 0, "
                    + "max-depth >= 3, max-tokens >= 16): " + this);
        }
    }

    public static RequestLimits defaults() {
        return new RequestLimits(DEFAULT_MAX_ITEMS, DEFAULT_LISTED_REJECTIONS, DEFAULT_MAX_DEPTH, DEFAULT_MAX_TOKENS);
    }
}
