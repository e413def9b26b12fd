package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.MergeRecord;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.SafetensorsReader;
import io.warmstream.model.weights.SafetensorsWriter;
import io.warmstream.model.weights.StagedModelDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Folds one new model into an average and writes the result as a new model directory: reads the current average
 * and the new model tensor by tensor, writes the new average, records the members and the strategy in its
 * warmstream.json. Memory is bounded by a few 1 MiB chunks ({@link StreamingMerge}), not by model size.
 *
 * <p>Before anything is committed: lineage, tokenizer, tensor names, dtypes and shapes must match
 * ({@link CompatibilityCheck}); every value must be finite (checked while streaming); and the SHA-256 of every
 * input file must match its manifest (hashed on a second thread while the main one merges; a directory this folder
 * verified or wrote before and that is unchanged on disk is not hashed again, see {@link VerifiedDirectories}). Any
 * failure leaves no output directory behind.
 *
 * <p>Averages are immutable directories: each fold writes a new one (e.g. one per version), never in place.
 */
public final class AverageFolder {

    private final MergeSettings settings;
    private final VerifiedDirectories verified = new VerifiedDirectories();

    public AverageFolder(MergeSettings settings) {
        if (settings.strategy() == MergeStrategy.SLERP_LITI && settings.initModel() == null) {
            throw new IllegalArgumentException("strategy slerp-liti needs initModel (the shared initialisation)");
        }
        if (settings.strategy() == MergeStrategy.SLIDING_WINDOW && settings.memberLocator() == null) {
            throw new IllegalArgumentException("strategy sliding-window needs a memberLocator to find member files");
        }
        this.settings = settings;
    }

    public MergeSettings settings() {
        return settings;
    }

    /** Folds with member weight 1 (only the weighted strategies read the weight). */
    public FoldResult fold(Path currentAverage, Path newModel, String jobId, Path outputDir) {
        return fold(currentAverage, newModel, jobId, 1.0, outputDir);
    }

    /**
     * @param currentAverage the average to fold into, or null to start one with this model
     * @param weight         the member's positive weight: its held-out accuracy (ACCURACY_WEIGHTED) or its number
     *                       of training labels (DATA_SIZE_WEIGHTED); the other strategies ignore it
     * @param outputDir      where the new average goes; must not exist (or be empty)
     * @throws IncompatibleModelException the new model must not be merged (AlreadyMemberException if folded before)
     * @throws ModelFormatException       an input is malformed or fails its SHA-256
     */
    public FoldResult fold(Path currentAverage, Path newModel, String jobId, double weight, Path outputDir) {
        long start = System.nanoTime();
        ModelManifest incoming = ModelDirectory.readManifest(newModel);
        ModelManifest average = currentAverage == null ? null : ModelDirectory.readManifest(currentAverage);
        MergeRecord previous = previousRecord(currentAverage, average, jobId);
        if (average != null) {
            CompatibilityCheck.requireSameLineage(average, currentAverage, incoming, newModel);
        }
        Plan plan = plan(currentAverage, previous, newModel, incoming, jobId, weight);

        List<SafetensorsReader> readers = new ArrayList<>();
        ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fold-hash-check");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Path dir : plan.inputs()) {
                readers.add(SafetensorsReader.open(ModelDirectory.weightsFile(dir)));
            }
            // The output keeps the average's tensor order, config and tokenizer; the new model's when the average
            // is not an input (first fold, sliding window), so that everything copied was verified.
            Path referenceDir = currentAverage != null && plan.inputs().contains(currentAverage)
                    ? currentAverage : newModel;
            SafetensorsReader reference = readers.get(plan.inputs().indexOf(referenceDir));
            for (SafetensorsReader r : readers) {
                CompatibilityCheck.requireSameTensors(reference, r);
            }
            List<Path> toVerify = plan.inputs().stream().filter(dir -> !verified.unchanged(dir)).toList();
            Future<?> hashes = hasher.submit(() -> toVerify.forEach(dir -> {
                VerifiedDirectories.Snapshot before = VerifiedDirectories.snapshot(dir);
                ModelDirectory.verify(dir);
                verified.remember(before);
            }));

            try (StagedModelDirectory staged = ModelDirectory.stage(outputDir)) {
                String sha;
                try (SafetensorsWriter writer = staged.createWeights(StreamingMerge.specsOf(reference))) {
                    StreamingMerge.run(readers, plan.kernel(), writer);
                    sha = writer.finish();
                }
                await(hashes);
                ModelManifest written = staged.commit(ModelDirectory.readConfig(referenceDir),
                        referenceDir.resolve(ModelDirectory.TOKENIZER_FILE), incoming.lineage(), Map.of(),
                        plan.record(), sha);
                verified.remember(VerifiedDirectories.snapshot(staged.target()));
                return new FoldResult(staged.target(), written, (System.nanoTime() - start) / 1e9);
            }
        } finally {
            hasher.shutdownNow();
            readers.forEach(SafetensorsReader::close);
        }
    }

    /** Inputs in kernel order, the kernel, and the merge record of the result. */
    private record Plan(List<Path> inputs, TensorKernel kernel, MergeRecord record) {
    }

    private Plan plan(Path currentAverage, MergeRecord previous, Path newModel, ModelManifest incoming,
                      String jobId, double weight) {
        MergeStrategy strategy = settings.strategy();
        String name = strategy.configName();
        List<Member> members = previous == null ? new ArrayList<>() : new ArrayList<>(previous.members());
        long folds = previous == null ? 1 : previous.folds() + 1;
        Map<String, Object> parameters = new LinkedHashMap<>();
        switch (strategy) {
            case UNIFORM -> {
                members.add(new Member(jobId, incoming.weightsSha256(), 1.0));
                return previous == null ? first(newModel, name, parameters, members)
                        : new Plan(List.of(currentAverage, newModel), RunningAverage.uniformFold(members.size()),
                        new MergeRecord(name, parameters, folds, members));
            }
            case ACCURACY_WEIGHTED, DATA_SIZE_WEIGHTED -> {
                if (!(weight > 0) || !Double.isFinite(weight)) {
                    throw new IllegalArgumentException(name + " merge needs a finite weight > 0 for job "
                            + jobId + ", got " + weight);
                }
                double sumBefore = previous == null ? 0 : previous.weightSum();
                members.add(new Member(jobId, incoming.weightsSha256(), weight));
                return previous == null ? first(newModel, name, parameters, members)
                        : new Plan(List.of(currentAverage, newModel), RunningAverage.weightedFold(weight, sumBefore),
                        new MergeRecord(name, parameters, folds, members));
            }
            case EMA -> {
                parameters.put("mu", settings.emaMu());
                members.add(new Member(jobId, incoming.weightsSha256(), previous == null ? 1.0 : settings.emaMu()));
                return previous == null ? first(newModel, name, parameters, members)
                        : new Plan(List.of(currentAverage, newModel), ExponentialMovingAverage.fold(settings.emaMu()),
                        new MergeRecord(name, parameters, folds, members));
            }
            case SLIDING_WINDOW -> {
                parameters.put("window", settings.windowSize());
                members.add(new Member(jobId, incoming.weightsSha256(), 1.0));
                while (members.size() > settings.windowSize()) {
                    members.remove(0);
                }
                List<Path> inputs = new ArrayList<>();
                for (Member m : members.subList(0, members.size() - 1)) {
                    inputs.add(locate(m));
                }
                inputs.add(newModel);
                return new Plan(inputs, new BatchMean(inputs.size()), new MergeRecord(name, parameters, folds, members));
            }
            case SLERP_LITI -> {
                Path init = settings.initModel();
                ModelManifest initManifest = ModelDirectory.readManifest(init);
                CompatibilityCheck.requireSameLineage(initManifest, init, incoming, newModel);
                if (previous != null && !initManifest.weightsSha256().equals(previous.parameters().get("initSha256"))) {
                    throw new IncompatibleModelException("init model " + init + " (sha256 " + initManifest.weightsSha256()
                            + ") is not the one average " + currentAverage + " was built from ("
                            + previous.parameters().get("initSha256") + ")");
                }
                parameters.put("eta", settings.litiEta());
                parameters.put("initSha256", initManifest.weightsSha256());
                parameters.put("parallelCos", TaskVectorSlerp.PARALLEL_COS);
                members.add(new Member(jobId, incoming.weightsSha256(), 1.0));
                MergeRecord record = new MergeRecord(name, parameters, folds, members);
                if (previous == null) {
                    return new Plan(List.of(init, newModel), Liti.kernel(settings.litiEta()), record);
                }
                double previousEta = ((Number) previous.parameters().get("eta")).doubleValue();
                return new Plan(List.of(init, currentAverage, newModel),
                        TaskVectorSlerp.withLiti(1.0 / members.size(), previousEta, settings.litiEta()), record);
            }
            default -> throw new IllegalStateException(strategy.name());
        }
    }

    private static Plan first(Path newModel, String strategy, Map<String, Object> parameters, List<Member> members) {
        return new Plan(List.of(newModel), new BatchMean(1), new MergeRecord(strategy, parameters, 1, members));
    }

    private MergeRecord previousRecord(Path currentAverage, ModelManifest average, String jobId) {
        if (average == null) {
            return null;
        }
        MergeRecord previous = average.merge();
        if (previous == null) {
            throw new IncompatibleModelException(currentAverage + " is not an average (no merge record in its "
                    + ModelDirectory.MANIFEST_FILE + ")");
        }
        if (!previous.strategy().equals(settings.strategy().configName())) {
            throw new IncompatibleModelException("average " + currentAverage + " was built with strategy "
                    + previous.strategy() + ", this folder is configured for " + settings.strategy().configName());
        }
        if (previous.hasMember(jobId)) {
            throw new AlreadyMemberException(jobId, "job " + jobId + " is already a member of average " + currentAverage);
        }
        return previous;
    }

    /** A window member's directory, checked to hold the very weights the average recorded. */
    private Path locate(Member member) {
        Path dir = settings.memberLocator().directoryOf(member);
        if (dir == null) {
            throw new IncompatibleModelException("no directory for window member " + member.jobId());
        }
        String sha = ModelDirectory.readManifest(dir).weightsSha256();
        if (!sha.equals(member.sha256())) {
            throw new IncompatibleModelException("window member " + member.jobId() + " at " + dir + " has sha256 " + sha
                    + " but the average recorded " + member.sha256());
        }
        return dir;
    }

    private static void await(Future<?> hashes) {
        try {
            hashes.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying input hashes", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("input hash verification failed", e.getCause());
        }
    }
}
