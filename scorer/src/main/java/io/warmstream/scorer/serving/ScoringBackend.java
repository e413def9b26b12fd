package io.warmstream.scorer.serving;

import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.weights.LoadedModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.scorer.onnx.OnnxRewardFunction;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What runs a verified model directory: DJL (PyTorch, CPU or GPU) or onnxruntime (CPU). On CPU onnxruntime is the
 * default: PyTorch's fp32 GEMM (MKL) ran at half onnxruntime's speed on this project's AMD machines, and the forward
 * pass is almost all GEMM; both compute the same rewards (checked by tests).
 */
public interface ScoringBackend {

    /** Loads the directory; its files are read and their hashes checked again on the way. */
    RewardFunction open(Path modelDir);

    String name();

    /** "auto" (onnx on CPU in fp32, else djl), "djl" or "onnx". */
    static ScoringBackend of(String runtime, Compute compute, OnnxRewardFunction.Settings onnx) {
        String r = runtime == null ? "auto" : runtime.trim().toLowerCase(Locale.ROOT);
        boolean cpuFp32 = !compute.device().isGpu() && !compute.halfPrecision();
        return switch (r) {
            case "auto" -> cpuFp32 ? onnx(onnx) : djl(compute);
            case "djl" -> djl(compute);
            case "onnx" -> {
                if (!cpuFp32) {
                    throw new IllegalArgumentException("runtime onnx runs fp32 on the CPU only; compute is " + compute);
                }
                yield onnx(onnx);
            }
            default -> throw new IllegalArgumentException("runtime must be auto, djl or onnx, got \"" + runtime + "\"");
        };
    }

    static ScoringBackend djl(Compute compute) {
        return new ScoringBackend() {
            @Override
            public RewardFunction open(Path dir) {
                return RewardFunction.of(RewardModel.load(dir, compute));
            }

            @Override
            public String name() {
                return "djl/" + compute;
            }
        };
    }

    static ScoringBackend onnx(OnnxRewardFunction.Settings settings) {
        return new ScoringBackend() {
            @Override
            public RewardFunction open(Path dir) {
                LoadedModel loaded = ModelDirectory.read(dir);
                BertConfig config = BertConfig.fromHuggingFaceConfig(loaded.hfConfig());
                return RewardFunction.of(OnnxRewardFunction.create(config, loaded.tensors(),
                        dir.resolve(ModelDirectory.TOKENIZER_FILE), settings));
            }

            @Override
            public String name() {
                return "onnxruntime/cpu";
            }
        };
    }
}
