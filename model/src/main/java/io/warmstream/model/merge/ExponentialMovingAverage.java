package io.warmstream.model.merge;

/** WARP's EMA over inputs (average, new model): theta <- (1 - mu) theta + mu theta_new. */
public final class ExponentialMovingAverage {

    private ExponentialMovingAverage() {
    }

    public static TensorKernel fold(double mu) {
        if (!(mu > 0 && mu <= 1)) {
            throw new IllegalArgumentException("EMA mu must be in (0,1], got " + mu);
        }
        return new Interpolation(mu);
    }
}
