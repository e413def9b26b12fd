package io.warmstream.eval.stream;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.WorldConfig;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.RewardModel;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;

import java.util.List;
import java.util.Locale;

/**
 * What one member learns from the stream's first N training labels, with the CPU demo's recipe (shared LP head, top
 * layers trained from the frozen bottom's cache): gold accuracy in and out of distribution, the labeller's agreement
 * with gold, and the share of pairs longer than the token budget. How the demo's learning rates were chosen.
 *
 * <p>Arguments: labels, steps, learning rates (comma-separated, one member each), tokens, trainable layers,
 * test pairs per split[, probe L2]. Example (about 10 minutes on 2 idle cores):
 * {@code java -cp <eval classpath> io.warmstream.eval.stream.MemberLearningProbe 2000 250 1e-4,3e-4,1e-3 128 2 1000}
 */
public final class MemberLearningProbe {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        int steps = Integer.parseInt(a[1]);
        String lrs = a[2];
        int len = Integer.parseInt(a[3]);
        int layers = Integer.parseInt(a[4]);
        int test = Integer.parseInt(a[5]);
        double l2 = a.length > 6 ? Double.parseDouble(a[6]) : 0.01;
        PreferenceWorld w = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(0.1));
        List<LabelledPair> train = w.labels(Split.TRAIN, n).toList();
        List<LabelledPair> id = w.labels(Split.VALIDATION_ID, test).toList();
        List<LabelledPair> ood = w.labels(Split.OOD, test).toList();
        double agree = train.stream().filter(l -> Double.parseDouble(l.metadata().get(LabelledPair.GOLD_MARGIN)) > 0).count() / (double) n;
        BaseModel base = BaseModels.byName("minilm-l6");
        System.out.printf(Locale.ROOT, "labeller-gold agreement %.3f; truncated share at %d: train %.3f id %.3f ood %.3f%n",
                agree, len, trunc(base, train, len), trunc(base, id, len), trunc(base, ood, len));
        Compute c = Compute.auto();
        long t0 = System.nanoTime();
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, c, len, base.config().numLayers() - layers)) {
            TrainingConfig cfg = TrainingConfig.builder().seed(7).learningRate(1e-4).dropout(0.1).batchSize(16)
                    .maxLength(len).trainableTopLayers(layers).maxSteps(steps).epochs(100).probeL2(l2).compute(c).build();
            RewardModelTrainer tr = new RewardModelTrainer();
            RewardHead head = tr.fitHead(base, pairs(train), cfg, cache);
            BaseModel init = base.withHead(head);
            try (RewardModel lp = RewardModel.create(init, c, len)) {
                System.out.printf(Locale.ROOT, "LP head (probe %s): gold id %.3f ood %.3f train-labels %.3f (%.0fs)%n",
                        head.facts().get("probe_accuracy"), gold(cache, lp, id), gold(cache, lp, ood), labelAcc(cache, lp, train), (System.nanoTime() - t0) / 1e9);
            }
            for (String lrText : lrs.split(",")) {
            double lr = Double.parseDouble(lrText);
            TrainingConfig mc = cfg.toBuilder().learningRate(lr).build();
            try (TrainedModel m = tr.train(init, pairs(train), mc, p -> {
                if (p.step() % 25 == 0) System.out.printf(Locale.ROOT, "step %d loss %.3f%n", p.step(), p.loss());
            }, cache)) {
                System.out.printf(Locale.ROOT, "member steps %d lr %.1e: gold id %.3f ood %.3f train-labels %.3f final loss %s (%.0fs)%n",
                        steps, lr, gold(cache, m.model(), id), gold(cache, m.model(), ood), labelAcc(cache, m.model(), train),
                        m.facts().get("final_loss"), (System.nanoTime() - t0) / 1e9);
            }
            }
        }
    }

    static List<PreferencePair> pairs(List<LabelledPair> l) {
        return l.stream().map(p -> new PreferencePair(p.prompt(), p.chosen(), p.rejected())).toList();
    }

    static double labelAcc(FrozenPrefixCache c, RewardModel m, List<LabelledPair> l) {
        List<String> pr = l.stream().map(LabelledPair::prompt).toList();
        float[] a = c.score(m, pr, l.stream().map(LabelledPair::chosen).toList());
        float[] b = c.score(m, pr, l.stream().map(LabelledPair::rejected).toList());
        int k = 0;
        for (int i = 0; i < a.length; i++) if (a[i] > b[i]) k++;
        return k / (double) a.length;
    }

    static double gold(FrozenPrefixCache c, RewardModel m, List<LabelledPair> l) {
        List<String> pr = l.stream().map(LabelledPair::prompt).toList();
        float[] a = c.score(m, pr, l.stream().map(LabelledPair::chosen).toList());
        float[] b = c.score(m, pr, l.stream().map(LabelledPair::rejected).toList());
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            boolean goldChosen = Double.parseDouble(l.get(i).metadata().get(LabelledPair.GOLD_MARGIN)) > 0;
            if ((a[i] > b[i]) == goldChosen) k++;
        }
        return k / (double) a.length;
    }

    static double trunc(BaseModel base, List<LabelledPair> l, int len) {
        try (PairTokenizer t = new PairTokenizer(base.tokenizerFile(), 512, false)) {
            int k = 0;
            for (LabelledPair p : l) {
                TokenizedBatch b = t.encodePairs(List.of(p.prompt(), p.prompt()), List.of(p.chosen(), p.rejected()));
                long[] m = b.attentionMask();
                int T = b.seqLen();
                int max = 0;
                for (int r = 0; r < 2; r++) { int s = 0; for (int j = 0; j < T; j++) s += m[r * T + j]; max = Math.max(max, s); }
                if (max > len) k++;
            }
            return k / (double) l.size();
        }
    }
}
