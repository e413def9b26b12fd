package io.warmstream.trainer.work;

import io.warmstream.model.train.TrainingProgress;

import java.util.Locale;

/** The log's progress bar for a run: {@code job [#######.............] 14/40 loss 0.6120 5.1 pairs/s eta 1m10s}. */
final class JobProgressBar {

    private static final int WIDTH = 20;

    private JobProgressBar() {
    }

    /** {@code elapsedSeconds}: since the first step started, for the time-left estimate. */
    static String of(String jobId, TrainingProgress p, double elapsedSeconds) {
        int filled = p.totalSteps() <= 0 ? WIDTH : (int) Math.round((double) WIDTH * p.step() / p.totalSteps());
        filled = Math.max(0, Math.min(WIDTH, filled));
        String eta = p.step() > 0 ? duration(elapsedSeconds / p.step() * (p.totalSteps() - p.step())) : "?";
        return String.format(Locale.ROOT, "%s [%s] %d/%d loss %.4f %.1f pairs/s eta %s", jobId,
                "#".repeat(filled) + ".".repeat(WIDTH - filled), p.step(), p.totalSteps(), p.loss(),
                p.pairsPerSecond(), eta);
    }

    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}
