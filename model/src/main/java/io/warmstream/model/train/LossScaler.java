package io.warmstream.model.train;

/**
 * Dynamic loss scaling for FP16 training: multiply the loss before backward so small gradients survive fp16, skip
 * the step and halve the scale when gradients overflow, double it after a run of good steps. FP32 uses a fixed
 * scale of 1 (non-finite gradients still skip the step).
 */
final class LossScaler {

    private static final int GROWTH_INTERVAL = 2000;

    private final boolean dynamic;
    private double scale;
    private int goodSteps;

    LossScaler(boolean dynamic) {
        this.dynamic = dynamic;
        this.scale = dynamic ? 65536.0 : 1.0;
    }

    double scale() {
        return scale;
    }

    /** Records whether the step's gradients were finite; returns whether to apply the update. */
    boolean update(boolean finite) {
        if (!finite) {
            if (dynamic) {
                scale = Math.max(1.0, scale / 2);
            }
            goodSteps = 0;
            return false;
        }
        if (dynamic && ++goodSteps % GROWTH_INTERVAL == 0) {
            scale *= 2;
        }
        return true;
    }
}
