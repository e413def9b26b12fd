package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.MergeRecord;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WARP: iterative SLERP of task vectors (the k-th member with l = 1/k, {@link TaskVectorSlerp}), then LITI toward
 * the init with eta ({@link Liti}). Needs the shared initialisation, and the very one the average was built from.
 */
final class SlerpLitiMerge implements MergeMethod {

    @Override
    public void requireSettings(MergeSettings settings) {
        if (settings.initModel() == null) {
            throw new IllegalArgumentException("strategy slerp-liti needs initModel (the shared initialisation)");
        }
    }

    @Override
    public boolean needsInitModel() {
        return true;
    }

    @Override
    public MergePlan plan(FoldRequest request) {
        MergeSettings settings = request.settings();
        Path init = settings.initModel();
        ModelManifest initManifest = ModelDirectory.readManifest(init);
        CompatibilityCheck.requireSameLineage(initManifest, init, request.incoming(), request.newModel());
        MergeRecord previous = request.previous();
        if (previous != null && !initManifest.weightsSha256().equals(previous.parameters().get("initSha256"))) {
            throw new IncompatibleModelException(IncompatibleModelException.Kind.INIT_MISMATCH, "init model " + init
                    + " (sha256 " + initManifest.weightsSha256() + ") is not the one average "
                    + request.currentAverage() + " was built from (" + previous.parameters().get("initSha256") + ")");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("eta", settings.litiEta());
        parameters.put("initSha256", initManifest.weightsSha256());
        parameters.put("parallelCos", TaskVectorSlerp.PARALLEL_COS);
        List<Member> members = request.membersWith(1.0);
        MergeRecord record = new MergeRecord(request.strategyName(), parameters, request.folds(), members);
        if (previous == null) {
            return new MergePlan(List.of(init, request.newModel()), Liti.kernel(settings.litiEta()), record);
        }
        double previousEta = ((Number) previous.parameters().get("eta")).doubleValue();
        return new MergePlan(List.of(init, request.currentAverage(), request.newModel()),
                TaskVectorSlerp.withLiti(1.0 / members.size(), previousEta, settings.litiEta()), record);
    }
}
