package io.warmstream.model.weights;

/**
 * One model folded into an average: the training job that produced it, the SHA-256 of its model.safetensors,
 * and the weight it received (1 for uniform means, the accuracy for accuracy weighting, mu for EMA).
 */
public record Member(String jobId, String sha256, double weight) {

    public Member {
        if (jobId == null || jobId.isBlank()) {
            throw new IllegalArgumentException("member jobId must not be blank");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("member " + jobId + ": sha256 must be 64 lower-case hex digits");
        }
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("member " + jobId + ": weight must be finite and >= 0, got " + weight);
        }
    }
}
