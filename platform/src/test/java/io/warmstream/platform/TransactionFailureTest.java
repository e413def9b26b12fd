package io.warmstream.platform;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one fencing rule, on the exceptions Kafka's transactional producer really throws. */
class TransactionFailureTest {

    @Test
    void anotherOwnerByProducerEpochOrGroupGenerationIsFenced() {
        for (Throwable e : List.of(new ProducerFencedException("newer producer"),
                new InvalidProducerEpochException("epoch bumped"), new InvalidPidMappingException("expired"),
                new FencedInstanceIdException("static member replaced"), new IllegalGenerationException("old generation"),
                new UnknownMemberIdException("left the group"), new CommitFailedException("kicked out"))) {
            assertEquals(TransactionFailure.FENCED, TransactionFailure.of(e), e.toString());
            // The producer rethrows what it buffered wrapped in a KafkaException: the cause decides.
            assertEquals(TransactionFailure.FENCED, TransactionFailure.of(new KafkaException("commit failed", e)), e.toString());
        }
    }

    @Test
    void aProducerThatCannotGoOnButWasNotReplacedIsBroken() {
        for (Throwable e : List.of(new OutOfOrderSequenceException("gap"), new UnknownProducerIdException("lost"),
                new TransactionalIdAuthorizationException("no ACL"), new TopicAuthorizationException("no ACL"),
                new ClusterAuthorizationException("no ACL"), new UnsupportedVersionException("old broker"))) {
            assertEquals(TransactionFailure.BROKEN, TransactionFailure.of(e), e.toString());
            assertEquals(TransactionFailure.BROKEN, TransactionFailure.of(new KafkaException(e)), e.toString());
        }
    }

    @Test
    void everythingElseIsAbortedAndRetriedWithTheSameProducer() {
        for (Throwable e : List.of(new TimeoutException("broker slow"), new TransactionAbortableException("abort me"),
                new KafkaException("something"), new IllegalStateException("wrong state"))) {
            assertEquals(TransactionFailure.ABORTABLE, TransactionFailure.of(e), e.toString());
        }
        assertFalse(TransactionFailure.ABORTABLE.closesProducer());
        assertTrue(TransactionFailure.FENCED.closesProducer());
        assertTrue(TransactionFailure.BROKEN.closesProducer());
    }

    @Test
    void fencingAnywhereInTheChainWinsOverBroken() {
        Throwable both = new TopicAuthorizationException("no ACL");
        both.initCause(new ProducerFencedException("newer producer"));
        assertEquals(TransactionFailure.FENCED, TransactionFailure.of(both));
    }
}
