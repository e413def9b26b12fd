/**
 * The onnxruntime CPU backend: a reward model written as an ONNX graph ({@link io.warmstream.scorer.onnx.RewardNetworkOnnx})
 * and run by onnxruntime ({@link io.warmstream.scorer.onnx.OnnxRewardFunction}), because PyTorch's GEMM was half as fast
 * on the CPUs this project runs on. It depends only on model/ types and could move there.
 */
package io.warmstream.scorer.onnx;
