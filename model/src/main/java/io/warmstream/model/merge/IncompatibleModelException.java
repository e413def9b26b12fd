package io.warmstream.model.merge;

/**
 * A model that must not be merged with the others: different lineage, tensor names, shapes or dtypes, or
 * non-finite values. The message names the first offending tensor (or the lineage) and the files involved; the
 * {@link Kind} says which check refused it, so callers map it to their own codes without reading the message.
 */
public class IncompatibleModelException extends RuntimeException {

    /** Which check refused the model. */
    public enum Kind {
        /** Another lineage (pretrained base and architecture) or tokenizer. */
        LINEAGE,
        /** Tensor names, dtypes or shapes differ. */
        TENSORS,
        /** A NaN or infinite value. */
        NON_FINITE,
        /** The job is already a member of the average ({@link AlreadyMemberException}). */
        ALREADY_MEMBER,
        /** The merge method cannot weigh this member (no accuracy, no training labels). */
        UNWEIGHABLE,
        /** The directory to fold into is not an average of this method (no merge record, another strategy). */
        NOT_AN_AVERAGE,
        /** The init model is not the one the average was built from. */
        INIT_MISMATCH,
        /** A member file the method needs (sliding window) is missing or holds other weights. */
        MEMBER_MISMATCH
    }

    private final Kind kind;

    public IncompatibleModelException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
