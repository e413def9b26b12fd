package io.warmstream.merger.fold;

/** Why a checkpoint was not folded in: the {@code reasonCode} of {@code CheckpointRejected}. */
public enum ReasonCode {
    /** model.safetensors does not have the SHA-256 the checkpoint event and its manifest record. */
    HASH_MISMATCH,
    /** Missing from the store, or not a readable model directory (manifest, config, tokenizer, safetensors header). */
    UNREADABLE,
    /** Another pretrained base or architecture (or tokenizer) than the average's. */
    LINEAGE_MISMATCH,
    /** Tensor names, dtypes or shapes differ from the average's; the detail names the first offending tensor. */
    SHAPE_MISMATCH,
    /** A NaN or infinite weight; the detail names the tensor and the index. */
    NON_FINITE,
    /** The trainer's validation accuracy is below {@code warm.merger.min-validation-accuracy}. */
    LOW_ACCURACY,
    /** The average with this member scores worse on held-out labels than its members' mean by more than the margin. */
    LMC_GUARD,
    /** The job was folded in before (a redone job): recorded, not folded twice. */
    ALREADY_MEMBER,
    /** Of another shared-head generation than the average it was offered to; generations are never averaged. */
    GENERATION_MISMATCH,
    /** The record on the checkpoints topic could not be decoded. */
    UNDECODABLE,
    /**
     * Model signing is on and the directory is unsigned, signed with a key the merger does not accept, or has its
     * manifest (or another signed file) altered after signing; the detail names the file.
     */
    SIGNATURE_MISMATCH
}
