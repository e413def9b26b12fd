package io.warmstream.platform;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one rule for what a failed Kafka transaction means, used by every exactly-once loop (the trainer's outcome
 * publisher, the merger's ownership). It follows the producer's own error classes (KIP-691, KIP-1050), looked for
 * anywhere in the cause chain:
 * <ul>
 *   <li>{@link #FENCED}: another instance owns this work now. Kafka's {@link ApplicationRecoverableException}s:
 *       {@code ProducerFencedException} (a newer producer with the same transactional id),
 *       {@code InvalidProducerEpochException} (the coordinator bumped the epoch: fenced, or this transaction ran
 *       past its timeout and was aborted), {@code InvalidPidMappingException} (the transactional id expired),
 *       {@code FencedInstanceIdException}, {@code IllegalGenerationException} and {@code UnknownMemberIdException}
 *       (the consumer group moved on without us: KIP-447's fencing through the group metadata); and
 *       {@link CommitFailedException}, which {@code sendOffsetsToTransaction} throws for the same stale generation.
 *       The producer must be closed (it can only fail from now on) and the loop must not go on as the owner
 *       without re-reading what the owner wrote.</li>
 *   <li>{@link #BROKEN}: the producer cannot go on, but nobody took over: {@link OutOfOrderSequenceException}
 *       (including {@code UnknownProducerIdException}: records may be lost), {@link AuthorizationException}s
 *       and {@link UnsupportedVersionException}. Kafka's documented handling is to close the producer; a new one
 *       may succeed once an operator fixes the ACLs or the broker.</li>
 *   <li>{@link #ABORTABLE}: anything else (timeouts, a broker gone, {@code TransactionAbortableException}):
 *       abort and try again with the same producer. If the abort fails too, the producer is {@link #BROKEN}.</li>
 * </ul>
 * Earlier the trainer treated only ProducerFenced (and the BROKEN set) as fatal and aborted on an epoch error, while
 * the merger treated ProducerFenced, InvalidProducerEpoch, FencedInstanceId and CommitFailed as fencing; both now
 * follow this list.
 */
public enum TransactionFailure {
    FENCED, BROKEN, ABORTABLE;

    /** What {@code error} (thrown by a transactional producer call) means for the loop that got it. */
    public static TransactionFailure of(Throwable error) {
        boolean broken = false;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApplicationRecoverableException || t instanceof CommitFailedException) {
                return FENCED;
            }
            broken |= t instanceof OutOfOrderSequenceException || t instanceof AuthorizationException
                    || t instanceof UnsupportedVersionException;
        }
        return broken ? BROKEN : ABORTABLE;
    }

    /** Whether the producer that failed must be closed rather than reused after an abort. */
    public boolean closesProducer() {
        return this != ABORTABLE;
    }
}
