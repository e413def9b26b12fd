package io.warmstream.testkit;

import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.weights.ModelDirectory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Tiny reward models with random heads (so different inputs and different models score differently) written into a
 * filesystem checkpoint store, and the events that announce them: what a scorer test serves.
 */
public final class TinyModelStore {

    /** A model in the store: its URI, the weights SHA-256 its manifest records, and a local copy. */
    public record Stored(URI uri, String sha256, Path localDir) {
    }

    private final FileSystemCheckpointStore store;
    private final Path work;

    public TinyModelStore(FileSystemCheckpointStore store, Path work) {
        this.store = store;
        this.work = work;
    }

    /** A tiny model whose random weights come from {@code seed}, stored under {@code key}. */
    public Stored put(String key, long seed) {
        return put(key, seed, BertConfig.tiny());
    }

    /** A random model of the given shape (still small, e.g. to make forward passes measurably slow), under {@code key}. */
    public Stored put(String key, long seed, BertConfig config) {
        Path dir = work.resolve("model-" + seed + "-" + key.replace('/', '_'));
        try (RewardModel m = RewardModel.create(RandomHeads.withRandomHead(BaseModels.tiny(config, seed), seed), Compute.cpu())) {
            m.save(dir, Map.of("seed", seed));
        }
        URI uri = store.put(key, dir);
        return new Stored(uri, ModelDirectory.readManifest(dir).weightsSha256(), dir);
    }

    public static WarmModelPublished event(String average, long version, URI uri, String sha256, List<Stored> members) {
        List<Member> ms = members.stream().map(s -> Member.newBuilder().setJobId("job-" + s.localDir().getFileName())
                .setUri(s.uri().toString()).setSha256(s.sha256()).setValidationAccuracy(0.6).setWeight(1.0 / members.size())
                .build()).toList();
        return WarmModelPublished.newBuilder()
                .setAverage(average).setVersion(version).setUri(uri.toString()).setSha256(sha256)
                .setLineage("tiny-lineage").setStrategy("UNIFORM").setMembers(ms).setMemberCount(ms.size())
                .setValidationAccuracy(0.7).setMembersMeanAccuracy(0.6).setRollbackOf(null)
                .setPublishedAt(Instant.now()).build();
    }

    /** The rewards the model at {@code dir} gives, computed here, outside the scorer. */
    public static float[] score(Path dir, List<String> prompts, List<String> responses) {
        try (RewardModel m = RewardModel.load(dir)) {
            return m.score(prompts, responses);
        }
    }
}
