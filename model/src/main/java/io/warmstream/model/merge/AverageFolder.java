package io.warmstream.model.merge;

import io.warmstream.model.weights.MergeRecord;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.SafetensorsReader;
import io.warmstream.model.weights.SafetensorsWriter;
import io.warmstream.model.weights.StagedModelDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Folds one new model into an average and writes the result as a new model directory: reads the current average
 * and the new model tensor by tensor, writes the new average, records the members and the strategy in its
 * warmstream.json. What to read and how to combine it is the strategy's {@link MergeMethod}'s plan; the rest is
 * the same for every method. Memory is bounded by a few 1 MiB chunks ({@link StreamingMerge}), not by model size.
 *
 * <p>Before anything is committed: lineage, tokenizer, tensor names, dtypes and shapes must match
 * ({@link CompatibilityCheck}); every value must be finite (checked while streaming); and the SHA-256 of every
 * input file must match its manifest (hashed on a second thread while the main one merges; a directory this folder
 * verified or wrote before and that is unchanged on disk is not hashed again, see {@link VerifiedDirectories}). Any
 * failure leaves no output directory behind. These are the only compatibility checks a fold needs: a caller that
 * vets a model first (the merger) leaves them to this class rather than running them twice, and maps each
 * refusal's {@link IncompatibleModelException.Kind} to its own codes.
 *
 * <p>Averages are immutable directories: each fold writes a new one (e.g. one per version), never in place.
 */
public final class AverageFolder {

    private final MergeSettings settings;
    private final MergeMethod method;
    private final VerifiedDirectories verified = new VerifiedDirectories();

    public AverageFolder(MergeSettings settings) {
        this.method = settings.strategy().method();
        method.requireSettings(settings);
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
        MergePlan plan = method.plan(new FoldRequest(currentAverage, previous, newModel, incoming, jobId, weight,
                settings));

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
            if (currentAverage != null && !plan.inputs().contains(currentAverage)) {
                // The average is no input (sliding window): the new model must still fit it.
                try (SafetensorsReader averaged = SafetensorsReader.open(ModelDirectory.weightsFile(currentAverage))) {
                    CompatibilityCheck.requireSameTensors(averaged, reference);
                }
            }
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

    private MergeRecord previousRecord(Path currentAverage, ModelManifest average, String jobId) {
        if (average == null) {
            return null;
        }
        MergeRecord previous = average.merge();
        if (previous == null) {
            throw new IncompatibleModelException(IncompatibleModelException.Kind.NOT_AN_AVERAGE, currentAverage
                    + " is not an average (no merge record in its " + ModelDirectory.MANIFEST_FILE + ")");
        }
        if (!previous.strategy().equals(settings.strategy().configName())) {
            throw new IncompatibleModelException(IncompatibleModelException.Kind.NOT_AN_AVERAGE, "average "
                    + currentAverage + " was built with strategy "
                    + previous.strategy() + ", this folder is configured for " + settings.strategy().configName());
        }
        if (previous.hasMember(jobId)) {
            throw new AlreadyMemberException(jobId, "job " + jobId + " is already a member of average " + currentAverage);
        }
        return previous;
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
