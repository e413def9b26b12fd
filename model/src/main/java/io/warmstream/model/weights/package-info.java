/**
 * Reward models on disk, without DJL: fp32 tensors ({@link io.warmstream.model.weights.NamedTensor}), the
 * safetensors format implemented from its specification ({@link io.warmstream.model.weights.SafetensorsReader},
 * {@link io.warmstream.model.weights.SafetensorsWriter}: streaming, one tensor or chunk at a time, every header
 * field validated), and model directories that Hugging Face transformers loads as they are
 * ({@link io.warmstream.model.weights.ModelDirectory}: atomic writes, SHA-256 of every file verified on read).
 *
 * <p>No maintained safetensors library for the JVM was found on Maven Central, hence the implementation here; it is
 * cross-checked against an independent Python + numpy reader and writer in the tests.
 */
package io.warmstream.model.weights;
