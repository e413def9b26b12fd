package io.warmstream.model.merge;

/**
 * WARP's linear interpolation toward the initialisation, over inputs (init, merged):
 * theta = (1 - eta) theta_init + eta theta_merged. eta = 0 gives the init, 1 the merged model.
 */
public final class Liti {

    private Liti() {
    }

    public static TensorKernel kernel(double eta) {
        return new Interpolation(eta);
    }

    /** The same on whole arrays. */
    public static float[] apply(float[] init, float[] merged, double eta) {
        float[] out = new float[init.length];
        new Interpolation(eta).combine(new float[][] {init, merged}, out, init.length);
        return out;
    }
}
