/** The scorer's Kafka clients: topic setup, the {@code warm.models} follower, and the stream-scoring application. */
package io.warmstream.scorer.kafka;
