package io.warmstream.local.stream;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.feed.GoldTestSets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a run's records into the report's rows and summary (plain maps, written as JSON and Markdown). */
final class StreamReport {

    static final String ID = GoldTestSets.IN_DISTRIBUTION;
    static final String OOD = GoldTestSets.OUT_OF_DISTRIBUTION;
    static final String GOLD_ID = "goldId";
    static final String GOLD_OOD = "goldOod";

    /** The report's field for a gold test set's accuracy ({@link #GOLD_ID}, {@link #GOLD_OOD}; others by name). */
    static String key(String testSet) {
        return testSet.equals(ID) ? GOLD_ID : testSet.equals(OOD) ? GOLD_OOD : testSet;
    }

    private StreamReport() {
    }

    /** One row per judged served version, in version order. */
    static List<Map<String, Object>> versions(StreamRun.Result r, long startMillis) {
        Map<Long, Map<String, ModelEvaluation>> byVersion = new LinkedHashMap<>();
        for (ModelEvaluation e : r.evaluations()) {
            if (e.getSubject() == EvaluationSubject.VERSION) {
                byVersion.computeIfAbsent(e.getVersion(), v -> new LinkedHashMap<>()).put(e.getTestSet(), e);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        byVersion.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            Map<String, ModelEvaluation> sets = entry.getValue();
            ModelEvaluation any = sets.values().iterator().next();
            WarmModelPublished v = r.versions().get(entry.getKey());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("version", entry.getKey());
            row.put("members", v == null ? null : v.getMemberCount());
            row.put("generation", v == null ? any.getGeneration() : v.getGeneration()); // the event is authoritative
            row.put("trainLabels", any.getTrainLabels());
            put(row, "goldId", sets.get(ID));
            put(row, "goldOod", sets.get(OOD));
            row.put("heldOutAccuracy", v == null ? null : v.getValidationAccuracy());
            row.put("minutes", (any.getEvaluatedAt().toEpochMilli() - startMillis) / 60_000.0);
            rows.add(row);
        });
        return rows;
    }

    /** One row per judged member, in order of training labels. */
    static List<Map<String, Object>> members(StreamRun.Result r) {
        Map<String, Map<String, ModelEvaluation>> byJob = new LinkedHashMap<>();
        for (ModelEvaluation e : r.evaluations()) {
            if (e.getSubject() == EvaluationSubject.MEMBER) {
                byJob.computeIfAbsent(e.getJobId(), j -> new LinkedHashMap<>()).put(e.getTestSet(), e);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        byJob.forEach((job, sets) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("jobId", job);
            row.put("trainLabels", sets.values().iterator().next().getTrainLabels());
            StreamRun.MemberTraining training = r.members().getOrDefault(job, StreamRun.MemberTraining.UNKNOWN);
            row.put("steps", training.steps());
            row.put("learningRate", training.learningRate());
            row.put("finalTrainingLoss", training.finalLoss());
            put(row, "goldId", sets.get(ID));
            put(row, "goldOod", sets.get(OOD));
            rows.add(row);
        });
        rows.sort(Comparator.comparingLong(m -> ((Number) m.get("trainLabels")).longValue()));
        return rows;
    }

    /** The member with the best gold in-distribution accuracy (an oracle's pick), if any was judged. */
    static java.util.Optional<Map<String, Object>> bestMember(List<Map<String, Object>> members) {
        return members.stream().filter(m -> m.get(GOLD_ID) != null)
                .max(Comparator.comparingDouble(m -> (Double) m.get(GOLD_ID)));
    }

    /** The summary figures for one strategy. */
    static Map<String, Object> summary(List<Map<String, Object>> versions, List<Map<String, Object>> members,
                                       AllLabelsBaseline.Result baseline, Map<String, Object> world, long wallMillis) {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Map<String, Object>> judged = versions.stream().filter(v -> v.get("goldId") != null).toList();
        double[] labels = judged.stream().mapToDouble(v -> ((Number) v.get("trainLabels")).doubleValue()).toArray();
        double[] gold = judged.stream().mapToDouble(v -> (Double) v.get("goldId")).toArray();
        s.put("spearman_labels_vs_served_gold", finite(StreamStatistics.spearman(labels, gold)));
        s.put("max_drop_in_se", StreamStatistics.maxDropInSe(judged.stream()
                .map(v -> new double[] {(Double) v.get("goldId"), (Double) v.get("goldIdSe")}).toList()));
        Map<String, Object> last = judged.isEmpty() ? Map.of() : judged.get(judged.size() - 1);
        s.put("final_served_gold_id", last.get("goldId"));
        s.put("final_served_gold_ood", last.get("goldOod"));
        Map<String, Object> best = bestMember(members).orElse(Map.of());
        s.put("best_single_gold_id", best.get("goldId"));
        s.put("best_single_gold_ood", best.get("goldOod"));
        s.put("all_labels_model_gold_id", baseline == null || baseline.accuracy().get(ID) == null ? null
                : baseline.accuracy().get(ID).accuracy());
        s.put("all_labels_model_gold_ood", baseline == null || baseline.accuracy().get(OOD) == null ? null
                : baseline.accuracy().get(OOD).accuracy());
        s.put("members_gold_id_median", finite(StreamStatistics.median(members.stream()
                .filter(m -> m.get("goldId") != null).mapToDouble(m -> (Double) m.get("goldId")).toArray())));
        s.put("members_final_training_loss_max", finite(members.stream().map(m -> m.get("finalTrainingLoss"))
                .filter(v -> v instanceof Double).mapToDouble(v -> (Double) v).max().orElse(Double.NaN)));
        s.put("labeller_gold_agreement", world.get("labeller_gold_agreement"));
        s.put("truncated_pair_share", world.get("truncated_pair_share"));
        s.put("served_versions_judged", judged.size());
        s.put("wall_minutes", wallMillis / 60_000.0);
        return s;
    }

    /**
     * Freshness over the versions the scorer served, medians in seconds (as the scorer measured them when it
     * started serving each), and the backlog's peaks (one trainer).
     */
    static Map<String, Object> freshness(List<Map<String, Object>> served, Map<String, Integer> queuePeaks) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("served_versions", served.size());
        f.put("loaded_ahead_versions", served.stream().filter(r -> Boolean.TRUE.equals(r.get("loadedAhead"))).count());
        f.put("checkpoint_to_served_p50_s", medianSeconds(served, "checkpointToServedMs"));
        f.put("newest_label_age_p50_s", medianSeconds(served, "newestLabelAgeMs"));
        f.put("training_time_p50_s", medianSeconds(served, "trainingMs"));
        f.put("queue_wait_p50_s", medianSeconds(served, "queueMs"));
        f.put("published_to_served_p50_s", medianSeconds(served, "publishedToServedMs"));
        f.put("max_queued_jobs_per_trainer", queuePeaks.get("maxQueued"));
        f.put("max_pending_jobs_per_trainer", queuePeaks.get("maxPending"));
        return f;
    }

    private static Double medianSeconds(List<Map<String, Object>> rows, String field) {
        double[] v = rows.stream().map(r -> r.get(field)).filter(x -> x instanceof Number)
                .mapToDouble(x -> ((Number) x).doubleValue() / 1000).toArray();
        return finite(StreamStatistics.median(v));
    }

    private static void put(Map<String, Object> row, String name, ModelEvaluation e) {
        row.put(name, e == null ? null : e.getAccuracy());
        row.put(name + "Se", e == null ? null : e.getStandardError());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
