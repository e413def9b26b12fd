package io.warmstream.platform;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The transactional producer of a consume-process-produce loop: one Kafka transaction sends a step's records and
 * commits the consumer offsets of its input, so both happen or neither does. What a failure means is decided by
 * {@link TransactionFailure}, the one rule every loop shares: an abortable failure is aborted here and the producer
 * kept; a fenced or broken producer is closed here, and the caller decides what its loop does next (stand by,
 * re-read its state, {@link #open()} again). The error itself is rethrown unchanged.
 * <p>
 * Used by the loop's thread only.
 */
public final class ExactlyOnceCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceCommitter.class);

    /** Points between a transaction's steps, where tests simulate a crash (an Error thrown there leaves it open). */
    public interface Steps {
        Steps NONE = new Steps() {
        };

        /** The records are sent and flushed: on the broker, not yet committed. Not called without records. */
        default void recordsSent() {
        }

        /** The offsets are in the transaction too. Not called without offsets. */
        default void offsetsSent() {
        }
    }

    private final String name;
    private final Supplier<Producer<String, byte[]>> newProducer;
    private final Duration closeTimeout;
    private Producer<String, byte[]> producer;
    private Producer<String, byte[]> abandoned;
    private TransactionFailure lastFailure;

    /**
     * @param name         for logs (the worker or average it commits for)
     * @param newProducer  a producer with this loop's {@code transactional.id}; called by every {@link #open()}
     * @param closeTimeout how long {@link #release()} and {@link #close()} wait for the producer
     */
    public ExactlyOnceCommitter(String name, Supplier<Producer<String, byte[]>> newProducer, Duration closeTimeout) {
        this.name = name;
        this.newProducer = newProducer;
        this.closeTimeout = closeTimeout;
    }

    /**
     * A new producer (the old one, if any, is closed) that registers its transactional id: any other producer with
     * that id is fenced and the transaction it left open is aborted. If registering fails, the producer is closed
     * and the error thrown; call again later.
     */
    public void open() {
        release();
        producer = newProducer.get();
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            closeQuietly(producer, Duration.ZERO);
            producer = null;
            throw e;
        }
    }

    public boolean isOpen() {
        return producer != null;
    }

    /**
     * One transaction: {@code records} (sent and flushed), then {@code offsets} for {@code group}, then commit.
     * On failure {@link #lastFailure()} says what it meant, the transaction is aborted or the producer closed as
     * that says, and the error is rethrown. Without a producer (never opened, or closed by the last failure) it
     * fails as {@link TransactionFailure#BROKEN} with an {@link IllegalStateException}.
     */
    public void commit(List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                       ConsumerGroupMetadata group, Steps steps) {
        lastFailure = null;
        if (producer == null) {
            lastFailure = TransactionFailure.BROKEN;
            throw new IllegalStateException(name + ": no transactional producer; open() it first");
        }
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
            if (!records.isEmpty()) {
                producer.flush();
                steps.recordsSent();
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
                steps.offsetsSent();
            }
            producer.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            lastFailure = TransactionFailure.of(e);
            if (lastFailure == TransactionFailure.ABORTABLE && !abort()) {
                lastFailure = TransactionFailure.BROKEN;
            }
            if (lastFailure.closesProducer()) {
                LOG.warn("{}: transactional producer {} ({}); closing it", name,
                        lastFailure == TransactionFailure.FENCED ? "fenced" : "broken", e.toString());
                closeQuietly(producer, Duration.ZERO);
                producer = null;
            }
            throw e;
        }
    }

    /** What the last {@link #commit} failure meant; null after a commit that went through. */
    public TransactionFailure lastFailure() {
        return lastFailure;
    }

    private boolean abort() {
        try {
            producer.abortTransaction();
            return true;
        } catch (KafkaException | IllegalStateException e) {
            LOG.debug("{}: abort after a failed transaction failed too", name, e);
            return false;
        }
    }

    /** Closes the producer (waiting up to the close timeout); {@link #open()} makes a new one. */
    public void release() {
        if (producer != null) {
            closeQuietly(producer, closeTimeout);
            producer = null;
        }
    }

    /** A simulated crash: the producer is dropped as a dead process would leave it, open transaction included. */
    public void abandon() {
        if (producer != null) {
            abandoned = producer;
            producer = null;
        }
    }

    private void closeQuietly(Producer<String, byte[]> p, Duration timeout) {
        try {
            p.close(timeout);
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the transactional producer failed: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        release();
        if (abandoned != null) {
            closeQuietly(abandoned, Duration.ZERO);
            abandoned = null;
        }
    }
}
