package io.warmstream.merger.fold;

import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.store.StoreUris;
import io.warmstream.model.merge.IncompatibleModelException;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.ModelSignatureException;
import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.Sha256;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks a checkpoint passes before it is folded (fetch, signature, manifest against its event), each failing
 * with its own reason code, and the attribution of what goes wrong in the fold ({@link #refusal}, {@link #diagnose}):
 * the fold itself checks lineage, tensors and values once, for every caller. The checkpoint's faults become
 * {@link CheckpointRejection}s; faults of the merger's own files (the current average, the init model)
 * become {@link MergerFault}s, so a damaged average never gets a good checkpoint rejected. So does a store that cannot
 * be reached ({@link StoreUnavailableException}): an outage is waited out, only the checkpoint's own faults reject it.
 */
final class Vetting {

    private final CheckpointStore store;

    Vetting(CheckpointStore store) {
        this.store = store;
    }

    Path fetch(RewardModelCheckpoint cp) {
        URI uri;
        try {
            uri = StoreUris.resolve(store, cp.getUri());
        } catch (IllegalArgumentException e) {
            throw new CheckpointRejection(ReasonCode.UNREADABLE, "checkpoint uri '" + cp.getUri() + "' is not a URI: "
                    + e.getMessage());
        }
        try {
            return store.fetch(uri);
        } catch (ModelSignatureException e) {
            // A forged or foreign directory is the checkpoint's own fault, never an outage to wait out.
            throw new CheckpointRejection(ReasonCode.SIGNATURE_MISMATCH, e.getMessage());
        } catch (RuntimeException e) {
            if (StoreUnavailableException.isCause(e)) {
                throw new MergerFault("cannot fetch " + cp.getUri() + ": " + e.getMessage(), e); // wait, never reject
            }
            throw new CheckpointRejection(ReasonCode.UNREADABLE, "cannot fetch " + cp.getUri()
                    + " from the checkpoint store: " + e.getMessage());
        }
    }

    /** The manifest, which must name the event's lineage and weights hash. */
    ModelManifest manifest(RewardModelCheckpoint cp, Path dir) {
        ModelManifest manifest;
        try {
            manifest = ModelDirectory.readManifest(dir);
        } catch (ModelFormatException e) {
            throw new CheckpointRejection(ReasonCode.UNREADABLE, e.getMessage());
        }
        if (!manifest.lineage().id().equals(cp.getLineage())) {
            throw new CheckpointRejection(ReasonCode.LINEAGE_MISMATCH, ModelDirectory.MANIFEST_FILE + " of "
                    + cp.getUri() + " has lineage " + manifest.lineage().id() + " but the checkpoint event says "
                    + cp.getLineage());
        }
        if (!manifest.weightsSha256().equals(cp.getSha256())) {
            throw new CheckpointRejection(ReasonCode.HASH_MISMATCH, ModelDirectory.MANIFEST_FILE + " of "
                    + cp.getUri() + " records weights sha256 " + manifest.weightsSha256()
                    + " but the checkpoint event says " + cp.getSha256());
        }
        return manifest;
    }

    /** The current average's directory. */
    Path average(AverageState state) {
        try {
            return store.fetch(URI.create(state.uri()));
        } catch (RuntimeException e) {
            throw new MergerFault("the current average (version " + state.version() + ", " + state.uri()
                    + ") cannot be fetched from the store: " + e.getMessage(), e);
        }
    }

    /**
     * A merge refusal by its kind: the checkpoint's fault becomes a rejection with the matching reason code; a
     * refusal that concerns the merger's own files (its average, the init model, a window member) becomes a
     * {@link MergerFault}, so a damaged or misconfigured merger never gets a good checkpoint rejected.
     */
    static RuntimeException refusal(IncompatibleModelException e) {
        ReasonCode code = switch (e.kind()) {
            case LINEAGE -> ReasonCode.LINEAGE_MISMATCH;
            case TENSORS -> ReasonCode.SHAPE_MISMATCH;
            case NON_FINITE -> ReasonCode.NON_FINITE;
            case ALREADY_MEMBER -> ReasonCode.ALREADY_MEMBER;
            case UNWEIGHABLE -> ReasonCode.LOW_ACCURACY;
            case NOT_AN_AVERAGE, INIT_MISMATCH, MEMBER_MISMATCH -> null;
        };
        return code != null ? new CheckpointRejection(code, e.getMessage())
                : new MergerFault("the merger's own files cannot be folded with: " + e.getMessage(), e);
    }

    /**
     * After a malformed-file error: HASH_MISMATCH if the checkpoint's weights are not the bytes its event names,
     * UNREADABLE if they are but something else in its directory is broken, a {@link MergerFault} if the
     * checkpoint verifies and the fault was in the merger's own input.
     */
    RuntimeException diagnose(Path dir, RewardModelCheckpoint cp, RuntimeException cause) {
        Path weights = ModelDirectory.weightsFile(dir);
        if (!Files.isRegularFile(weights)) {
            return new CheckpointRejection(ReasonCode.UNREADABLE, weights + " does not exist");
        }
        String actual;
        try {
            actual = Sha256.ofFile(weights);
        } catch (RuntimeException e) {
            return new CheckpointRejection(ReasonCode.UNREADABLE, "cannot read " + weights + ": " + e.getMessage());
        }
        if (!actual.equals(cp.getSha256())) {
            return new CheckpointRejection(ReasonCode.HASH_MISMATCH, weights + " has sha256 " + actual
                    + " but the checkpoint says " + cp.getSha256() + " (file altered or truncated): "
                    + cause.getMessage());
        }
        try {
            ModelDirectory.verify(dir);
        } catch (ModelFormatException e) {
            return new CheckpointRejection(ReasonCode.UNREADABLE, e.getMessage());
        }
        return new MergerFault("fold failed although checkpoint " + cp.getJobId() + " verifies: " + cause.getMessage(),
                cause);
    }
}
