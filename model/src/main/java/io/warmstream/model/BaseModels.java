package io.warmstream.model;

import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.bert.InitialWeights;
import io.warmstream.model.onnx.OnnxWeights;
import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.LoadedModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bases reward models start from. Pretrained weights come from the ONNX files inside the langchain4j embedding
 * jars on the classpath: nothing is downloaded.
 */
public final class BaseModels {

    public static final String MINILM = "minilm-l6";
    public static final String BGE_SMALL = "bge-small";
    public static final String TINY = "tiny";

    private static final Map<String, BaseModel> PRETRAINED = new ConcurrentHashMap<>();
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private BaseModels() {}

    /** sentence-transformers/all-MiniLM-L6-v2 (22.6M parameters). */
    public static BaseModel miniLm() {
        return PRETRAINED.computeIfAbsent(MINILM, n -> pretrained(n, BertConfig.miniLmL6(),
                "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json"));
    }

    /** BAAI/bge-small-en-v1.5 (33.2M parameters). */
    public static BaseModel bgeSmall() {
        return PRETRAINED.computeIfAbsent(BGE_SMALL, n -> pretrained(n, BertConfig.bgeSmall(),
                "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json"));
    }

    /**
     * A randomly initialised {@link BertConfig#tiny()} encoder with the MiniLM tokenizer, for fast tests of the
     * mechanics. Its lineage hashes the config and seed, so equal seeds make averageable models.
     */
    public static BaseModel tiny(long seed) {
        return tiny(BertConfig.tiny(), seed);
    }

    public static BaseModel tiny(BertConfig config, long seed) {
        String source = "warmstream-random-init|" + config.architectureId() + "|seed=" + seed;
        Lineage lineage = new Lineage(Hashes.sha256(source), config.architectureId());
        return new BaseModel(TINY + "-" + seed, config, resourceFile("all-minilm-l6-v2-tokenizer.json"), lineage,
                () -> InitialWeights.random(config, seed), Map.of("base", TINY, "base_seed", seed));
    }

    /**
     * A model directory (see {@link ModelDirectory}) as a base: a trained reward model or a merged average. It keeps
     * the directory's lineage, so models started from it can be averaged with their siblings (WARM's "Baklava").
     */
    public static BaseModel fromDirectory(Path dir) {
        LoadedModel loaded = ModelDirectory.read(dir);
        BertConfig config = BertConfig.fromHuggingFaceConfig(loaded.hfConfig());
        List<NamedTensor> tensors = new ArrayList<>();
        for (NamedTensor t : loaded.tensors()) {
            if (!t.name().equals("bert.embeddings.position_ids")) { // a buffer some exporters save
                tensors.add(t);
            }
        }
        Path tokenizer = dir.resolve(ModelDirectory.TOKENIZER_FILE);
        return new BaseModel(dir.toString(), config, tokenizer, loaded.lineage(), () -> copy(tensors),
                Map.of("base", "directory", "base_dir", dir.toAbsolutePath().toString(), "base_sha256", loaded.sha256()));
    }

    /** "minilm-l6" | "bge-small" | "tiny" | "tiny:SEED" | a model directory path. */
    public static BaseModel byName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("base model name must not be blank");
        }
        String n = name.trim();
        return switch (n) {
            case MINILM, "all-minilm-l6-v2" -> miniLm();
            case BGE_SMALL, "bge-small-en-v1.5" -> bgeSmall();
            case TINY -> tiny(0);
            default -> {
                if (n.startsWith(TINY + ":")) {
                    try {
                        yield tiny(Long.parseLong(n.substring(TINY.length() + 1)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad tiny seed in \"" + n + "\"");
                    }
                }
                Path p = Path.of(n);
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException("unknown base model \"" + n
                            + "\": expected minilm-l6, bge-small, tiny[:SEED] or a model directory");
                }
                yield fromDirectory(p);
            }
        };
    }

    private static BaseModel pretrained(String name, BertConfig config, String onnxResource, String tokenizerResource) {
        String baseHash;
        try (InputStream in = open(onnxResource)) {
            baseHash = Hashes.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lineage lineage = new Lineage(baseHash, config.architectureId());
        return new BaseModel(name, config, resourceFile(tokenizerResource), lineage, () -> {
            List<NamedTensor> out = new ArrayList<>();
            for (NamedTensor t : OnnxWeights.readEncoderResource(onnxResource)) {
                out.add(new NamedTensor(BertRewardNetwork.ENCODER_PREFIX + t.name(), t.shape(), t.data()));
            }
            out.addAll(InitialWeights.head(config.hiddenSize()));
            return out;
        }, Map.of("base", name, "base_onnx", onnxResource, "base_onnx_sha256", baseHash));
    }

    private static InputStream open(String resource) {
        InputStream in = BaseModels.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + resource + " not found: is the langchain4j embeddings jar on the classpath?");
        }
        return in;
    }

    /** Tokenizers must be files for the native tokenizer: copy the resource out once per JVM. */
    private static Path resourceFile(String resource) {
        return EXTRACTED.computeIfAbsent(resource, r -> {
            try (InputStream in = open(r)) {
                Path dir = Files.createTempDirectory("warmstream-base-");
                Path file = dir.resolve(r);
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract " + r, e);
            }
        });
    }

    private static List<NamedTensor> copy(List<NamedTensor> tensors) {
        List<NamedTensor> out = new ArrayList<>(tensors.size());
        for (NamedTensor t : tensors) {
            out.add(new NamedTensor(t.name(), t.shape().clone(), t.data().clone()));
        }
        return out;
    }
}
