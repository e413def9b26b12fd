package io.warmstream.merger.kafka;

/** The points of a checkpoint's handling where tests make the merger halt, as a killed process would. */
public enum CrashPoint {
    /** The new version's directory is in the store; nothing is published yet. */
    AFTER_WEIGHTS_WRITTEN,
    /** The event is on the broker inside the open transaction; the checkpoint's offset is not. */
    AFTER_EVENT_SENT,
    /** Event and offset are both in the open transaction, which is not committed. */
    AFTER_OFFSETS_SENT,
    /** The transaction is committed; retention has not run. */
    AFTER_COMMIT
}
