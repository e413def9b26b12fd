package io.warmstream.model.merge;

/**
 * The job's model is already a member of the average. A merger that retries after a crash can treat this as
 * "already folded" (exactly-once), rather than count the model twice.
 */
public class AlreadyMemberException extends IncompatibleModelException {

    private final String jobId;

    public AlreadyMemberException(String jobId, String message) {
        super(Kind.ALREADY_MEMBER, message);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
