package io.warmstream.merger.fold;

/** A checkpoint that must not be folded in; the message is the detail published with the reason code. */
public final class CheckpointRejection extends RuntimeException {

    private final ReasonCode code;

    public CheckpointRejection(ReasonCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ReasonCode code() {
        return code;
    }
}
