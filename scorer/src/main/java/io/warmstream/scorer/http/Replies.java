package io.warmstream.scorer.http;

import io.warmstream.scorer.evaluation.PairedChange;
import io.warmstream.scorer.evaluation.TestSetAccuracy;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request and answer bodies of the scoring API (requests are read by {@link RequestReader}; these document them). */
public final class Replies {

    private Replies() {
    }

    @Serdeable
    @Schema(name = "Item", description = "One response to score in the context of its prompt.")
    public record Item(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String prompt,
                       @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String response) {
    }

    @Serdeable
    @Schema(name = "RewardsRequest", description = "Items to score (at most warm.scorer.limits.max-items; each text at most "
            + "warm.scorer.limits.max-chars characters).")
    public record RewardsRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Item> items,
                                 @Schema(nullable = true, description = "a version number to pin, or \"latest\" (default)") String version,
                                 @Schema(nullable = true, description = "warm (default) or ens") String mode,
                                 @Schema(nullable = true, description = "rewards as (raw - scale.mean) / scale.std") Boolean normalize,
                                 @Schema(nullable = true, description = "members' spread and conservative reward (scores in ENS mode)") Boolean uncertainty,
                                 @Schema(nullable = true, description = "weight of the spread in the conservative reward (implies uncertainty)") Double lambda) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Rewards", description = "One reward per item, in request order, all from the same model version. "
            + "In ENS mode the reward is the members' mean and std their spread.")
    public record Rewards(String average, long version, String mode, float[] rewards,
                          @Schema(nullable = true, description = "ENS mode only: members' standard deviation per item") float[] std,
                          @Schema(nullable = true, description = "ENS mode only: ensemble size") Integer members,
                          @Schema(nullable = true, description = "true when rewards (and std, conservative) are normalised") Boolean normalized,
                          @Schema(nullable = true, description = "the version's reward scale on the reference set, when known") Scale scale,
                          @Schema(nullable = true, description = "normalised requests: the raw rewards") float[] rawRewards,
                          @Schema(nullable = true, description = "uncertainty requests: the lambda applied") Double lambda,
                          @Schema(nullable = true, description = "uncertainty requests: rewards - lambda * std per item") float[] conservative) {
    }

    @Serdeable
    @Schema(name = "Scale", description = "Mean and standard deviation of a version's rewards on the merger's fixed reference set.")
    public record Scale(double mean, double std, int items, String reference) {

        static Scale of(io.warmstream.scorer.serving.RewardScale s) {
            return s == null ? null : new Scale(s.mean(), s.std(), s.items(), s.reference());
        }
    }

    @Serdeable
    @Schema(name = "CompareRequest", description = "Two responses to one prompt.")
    public record CompareRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String prompt,
                                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String a,
                                 @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String b,
                                 @Schema(nullable = true) String version, @Schema(nullable = true) String mode,
                                 @Schema(nullable = true) Boolean normalize, @Schema(nullable = true) Boolean uncertainty,
                                 @Schema(nullable = true) Double lambda) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Comparison", description = "Bradley-Terry probability that a is preferred over b: sigmoid(r_a - r_b), "
            + "with rewards [r_a, r_b] from one version (ENS: the members' mean rewards).")
    public record Comparison(String average, long version, String mode,
                             @Schema(description = "from the raw rewards, normalised or not") double pAOverB, float[] rewards,
                             @Schema(nullable = true) float[] std, @Schema(nullable = true) Integer members,
                             @Schema(nullable = true) Boolean normalized, @Schema(nullable = true) Scale scale,
                             @Schema(nullable = true) float[] rawRewards, @Schema(nullable = true) Double lambda,
                             @Schema(nullable = true) float[] conservative) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "VersionNotLoaded", description = "410 (older than the serving version) or 404 (not loaded yet): "
            + "the pinned version cannot answer here; available lists the versions that can, newest first.")
    public record VersionNotLoaded(String error, String message, String field, long version, List<Long> available) {
    }

    @Serdeable
    @Schema(name = "Member", description = "A reward model folded into the average.")
    public record Member(String jobId, String uri, String sha256, double validationAccuracy, double weight,
                         @Schema(description = "accuracy on each fixed test set, when this scorer runs the test-set judge")
                         Map<String, TestSetFigure> testSets) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Freshness", description = "Times in milliseconds; absent when the version's event did not carry them (e.g. a rollback).")
    public record Freshness(String servedAt,
                            @Schema(description = "age of the newest label inside the version when this scorer started answering with it") Long newestLabelAgeMs,
                            Long checkpointToServedMs, Long publishedToServedMs,
                            @Schema(description = "how long the newest member's job waited for a worker") Long queueMs,
                            @Schema(description = "how long the newest member's job took on its worker") Long trainingMs,
                            @Schema(description = "this scorer loaded the version's candidate while the merger checked it, before its publication") boolean loadedAhead) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "TestSetFigure", description = "Accuracy on a fixed test set with known better responses, and its standard error.")
    public record TestSetFigure(int pairs, double accuracy, double standardError,
                                @Schema(nullable = true, description = "a version's change against the version judged before it, paired per test pair (absent for members and the first version)")
                                Change vsPrevious) {

        public static Map<String, TestSetFigure> of(Map<String, TestSetAccuracy> figures) {
            return of(figures, Map.of());
        }

        public static Map<String, TestSetFigure> of(Map<String, TestSetAccuracy> figures, Map<String, PairedChange> changes) {
            Map<String, TestSetFigure> out = new LinkedHashMap<>();
            figures.forEach((name, a) -> out.put(name, new TestSetFigure(a.pairs(), a.accuracy(), a.standardError(),
                    Change.of(changes.get(name)))));
            return out;
        }
    }

    @Serdeable
    @Schema(name = "Change", description = "Accuracy minus the earlier version's on the same pairs, and the standard error of that paired difference.")
    public record Change(long version, double difference, double standardError) {

        static Change of(PairedChange c) {
            return c == null ? null : new Change(c.against(), c.difference(), c.standardError());
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "LoadError", description = "A version that could not be served; the previous one kept serving.")
    public record LoadError(long version, String stage, String message, String at) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Ensemble", description = "ENS mode for the serving version: disabled, loading, ready, failed or unavailable.")
    public record EnsembleState(String state, int members, String error) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CurrentModel", description = "The serving version. Without one (503), only average, loading and lastLoadError are set.")
    public record CurrentModel(String error, String message, String average, Long version, String uri, String sha256,
                               String lineage, String strategy, Integer memberCount, List<Member> members,
                               @Schema(nullable = true, description = "validation accuracy of the average") Double accuracy,
                               Double membersMeanAccuracy, Long rollbackOf, String publishedAt, String loadedAt,
                               String device, EnsembleState ensemble, Long loading, LoadError lastLoadError, Long swaps,
                               @Schema(description = "accuracy of the average on each fixed test set (test-set judge; empty until judged)")
                               Map<String, TestSetFigure> testSets,
                               @Schema(nullable = true, description = "how fresh this version was when this scorer started serving it")
                               Freshness freshness,
                               @Schema(nullable = true, description = "shared-head generation of the version's members")
                               Integer generation,
                               @Schema(nullable = true, description = "reward scale on the merger's reference set; absent when not measured")
                               Scale scale) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "VersionSummary", description = "A version seen on warm.models: seen, loading, serving, retired, "
            + "skipped, withheld (by the merger's quality gate: worse than the served version, a newer generation not yet better "
            + "than it, or a superseded generation; never loaded) or failed.")
    public record VersionSummary(long version, String state, String publishedAt, int memberCount, Double accuracy,
                                 @Schema(nullable = true, description = "standard error of accuracy") Double accuracyStandardError,
                                 Long rollbackOf, String error, List<MemberRef> members,
                                 Map<String, TestSetFigure> testSets,
                                 @Schema(description = "shared-head generation of the version's members") int generation,
                                 @Schema(nullable = true, description = "reward scale on the merger's reference set") Scale scale,
                                 @Schema(nullable = true, description = "rewards this scorer gave traffic with the version (WARM mode)") Traffic traffic) {
    }

    @Serdeable
    @Schema(name = "TrafficRewards", description = "Rewards the version gave the traffic it scored here, raw and on its "
            + "own reward scale (normalised figures absent without a scale).")
    public record Traffic(long items, double rawMean, double rawStd, Double normalizedMean, Double normalizedStd) {

        static Traffic of(io.warmstream.scorer.shift.RewardShiftTracker.Traffic t) {
            return new Traffic(t.items(), t.rawMean(), t.rawStd(), t.normalizedMean(), t.normalizedStd());
        }
    }

    @Serdeable
    @Schema(name = "MemberRef", description = "A member of a version: its training job, validation accuracy and weight.")
    public record MemberRef(String jobId, double validationAccuracy, double weight, Map<String, TestSetFigure> testSets) {
    }

    @Serdeable
    @Schema(name = "Versions", description = "Versions of the average this scorer has seen, newest first.")
    public record Versions(String average, List<VersionSummary> versions) {
    }
}
