package io.warmstream.model.weights;

/**
 * Where a model's weights come from: the pretrained base (a hash of its weights) and the architecture. Only
 * models with equal {@link #id()} share an initialisation, and only those may be averaged (WARM's condition for
 * linear mode connectivity).
 */
public record Lineage(String baseHash, String architecture) {

    public Lineage {
        if (baseHash == null || baseHash.isBlank()) {
            throw new IllegalArgumentException("lineage baseHash must not be blank");
        }
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("lineage architecture must not be blank");
        }
    }

    /** First 16 hex digits of SHA-256 over both fields; stable across runs and machines. */
    public String id() {
        // The NUL separator keeps ("ab","c") and ("a","bc") apart.
        return Sha256.ofText(baseHash + '\u0000' + architecture).substring(0, 16);
    }
}
