/** {@code /health} entries: a serving model (readiness) and Kafka. */
package io.warmstream.scorer.health;
