package io.warmstream.scorer.serving;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;

/** Reward functions without a network, for fast tests of batching and swapping. */
public final class FakeModels {

    private FakeModels() {
    }

    /** Records batch sizes and whether it was closed; reward = f(response) + offset. */
    public static final class Fake implements RewardFunction {
        public final List<Integer> batches = new CopyOnWriteArrayList<>();
        public final AtomicBoolean closed = new AtomicBoolean();
        private final ToDoubleFunction<String> f;
        private final long sleepMillis;
        private volatile Runnable beforeScoring = () -> { };

        public Fake(ToDoubleFunction<String> f, long sleepMillis) {
            this.f = f;
            this.sleepMillis = sleepMillis;
        }

        /** Reward = offset + response length. */
        public static Fake offset(double offset, long sleepMillis) {
            return new Fake(r -> offset + r.length(), sleepMillis);
        }

        public Fake beforeScoring(Runnable r) {
            this.beforeScoring = r;
            return this;
        }

        @Override
        public float[] score(List<String> prompts, List<String> responses) {
            if (closed.get()) {
                throw new IllegalStateException("scored after close");
            }
            beforeScoring.run();
            batches.add(prompts.size());
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (closed.get()) {
                throw new IllegalStateException("closed while scoring");
            }
            float[] out = new float[responses.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) f.applyAsDouble(responses.get(i));
            }
            return out;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    public static ModelVersion version(long v) {
        return version("default", v, List.of());
    }

    public static ModelVersion version(String average, long v, List<ModelVersion.MemberInfo> members) {
        return new ModelVersion(average, v, URI.create("file:/store/averages/" + average + "/v" + v), sha(v), "lineage",
                "UNIFORM", members, 0.7, 0.65, null, Instant.parse("2024-05-01T12:00:00Z"), 0.02, false, null);
    }

    /** A version the merger's quality gate withheld. */
    public static ModelVersion withheld(long v) {
        ModelVersion m = version(v);
        return new ModelVersion(m.average(), v, m.uri(), m.sha256(), m.lineage(), m.strategy(), m.members(), 0.6,
                m.membersMeanAccuracy(), null, m.publishedAt(), 0.02, true, null);
    }

    public static ModelVersion.MemberInfo member(String job) {
        return new ModelVersion.MemberInfo(job, URI.create("file:/store/checkpoints/" + job), sha(job.hashCode()), 0.6, 1.0);
    }

    public static String sha(long seed) {
        return String.format("%064x", Math.abs(seed) + 1);
    }

    public static ServingModel serving(long v, RewardFunction f) {
        return new ServingModel(version(v), f, Instant.now());
    }
}
