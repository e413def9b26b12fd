package io.warmstream.eval.paper;

import io.warmstream.eval.report.PaperResults;

import io.warmstream.eval.report.PaperResults.Cost;
import io.warmstream.model.RewardModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What ENS costs against WARM at inference: ENS runs every member on each sequence, WARM runs one model. Both score
 * the same sequences from loaded models (loading is not timed), after one warm-up batch each.
 */
final class CostMeasure {

    private CostMeasure() {
    }

    static Cost measure(ModelScorer scorer, List<Path> memberDirs, Path warmDir, PairSet validation, int sequences) {
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (int i = 0; prompts.size() < sequences; i = (i + 1) % validation.size()) {
            prompts.add(validation.prompts().get(i));
            responses.add(prompts.size() % 2 == 0 ? validation.chosen().get(i) : validation.rejected().get(i));
        }
        List<String> warmUpP = prompts.subList(0, Math.min(8, prompts.size()));
        List<String> warmUpR = responses.subList(0, warmUpP.size());
        List<RewardModel> members = new ArrayList<>();
        try (RewardModel warm = scorer.load(warmDir)) {
            for (Path p : memberDirs) {
                members.add(scorer.load(p));
            }
            long params = warm.tensors().stream().mapToLong(t -> t.data().length).sum();
            warm.score(warmUpP, warmUpR);
            members.forEach(m -> m.score(warmUpP, warmUpR));

            long cpu0 = Progress.processCpuNanos();
            long t0 = System.nanoTime();
            for (RewardModel m : members) {
                m.score(prompts, responses);
            }
            double ensSeconds = (System.nanoTime() - t0) / 1e9;
            double ensCpu = (Progress.processCpuNanos() - cpu0) / 1e9;

            cpu0 = Progress.processCpuNanos();
            t0 = System.nanoTime();
            warm.score(prompts, responses);
            double warmSeconds = (System.nanoTime() - t0) / 1e9;
            double warmCpu = (Progress.processCpuNanos() - cpu0) / 1e9;
            return new Cost(members.size(), sequences, ensSeconds, warmSeconds, ensCpu, warmCpu,
                    sequences / ensSeconds, sequences / warmSeconds, ensSeconds / warmSeconds, params,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            members.forEach(RewardModel::close);
        }
    }
}
