/**
 * Weight-space merging of reward models fine-tuned from one initialisation (WARM, with WARP's operators), streamed
 * tensor by tensor and chunk by chunk so that memory stays at a few MiB whatever the model size or the number of
 * models averaged.
 *
 * <p>Entry point for a merger service: {@link io.warmstream.model.merge.AverageFolder#fold}, configured with a
 * {@link io.warmstream.model.merge.MergeStrategy} picked by config name and {@link io.warmstream.model.merge.MergeSettings}.
 * Each strategy's {@link io.warmstream.model.merge.MergeMethod} plans a fold (inputs, member weights, kernel) and
 * owns its checks. Per-tensor kernels: {@link io.warmstream.model.merge.RunningAverage} (uniform and weighted),
 * {@link io.warmstream.model.merge.ExponentialMovingAverage}, {@link io.warmstream.model.merge.BatchMean} (sliding
 * window), {@link io.warmstream.model.merge.TaskVectorSlerp} and {@link io.warmstream.model.merge.Liti}. Checks:
 * {@link io.warmstream.model.merge.CompatibilityCheck}. Benchmark: {@code ./warm bench --only fold}
 * (local's {@code io.warmstream.local.bench.fold.FoldBenchmark}).
 */
package io.warmstream.model.merge;
