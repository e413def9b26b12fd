/** Stream scoring as a Kafka Streams topology built over a {@code StreamsBuilder}, with the scoring function injected. */
package io.warmstream.scorer.topology;
