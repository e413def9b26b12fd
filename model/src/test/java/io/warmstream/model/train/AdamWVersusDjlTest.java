package io.warmstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Why the trainer keeps its own AdamW rather than DJL's {@code ai.djl.training.optimizer.AdamW} (0.35.1): both decay
 * weights decoupled from the gradient, and on ordinary gradients they take the same steps; they part where DJL adds
 * epsilon to the uncorrected {@code sqrt(v)}, {@code w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)}, while
 * torch.optim.AdamW (and ours) add it to the bias-corrected one, {@code w -= lr m_hat / (sqrt(v_hat) + eps)}. Early
 * in training that makes DJL's effective epsilon {@code 1 / sqrt(1 - b2^t)} times larger (32x at the first step for
 * b2 = 0.999), so gradients near epsilon barely move. Same gradients on one parameter, updated by each.
 */
class AdamWVersusDjlTest {

    private static final double LR = 0.01, WD = 0.1, B1 = 0.9, B2 = 0.999, EPS = 1e-8;
    private static final int STEPS = 3;
    /** Gradient per entry: two ordinary ones, two near epsilon. */
    private static final double[] GRAD = {0.5, -2.0, 1e-8, -3e-9};
    private static final double[] START = {1.0, -0.5, 0.25, 2.0};

    @Test
    void sameStepsOnOrdinaryGradientsSmallerStepsFromDjlNearEpsilon() {
        float[] ours;
        float[] djl;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ours = stepOurs(manager);
            djl = stepDjl(manager);
        }
        double[] torchRule = reference(false);
        double[] djlRule = reference(true);
        for (int i = 0; i < GRAD.length; i++) {
            assertEquals(torchRule[i], ours[i], 1e-6, "ours follows torch.optim.AdamW, entry " + i);
            assertEquals(djlRule[i], djl[i], 1e-6, "DJL follows its own rule, entry " + i);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(ours[i], djl[i], 1e-6, "ordinary gradient: the same update, entry " + i);
        }
        for (int i = 2; i < 4; i++) {
            // How far the Adam steps moved the weight, apart from the decay both apply alike.
            double decayedOnly = START[i] * Math.pow(1 - LR * WD, STEPS);
            double oursMoved = Math.abs(decayedOnly - ours[i]);
            double djlMoved = Math.abs(decayedOnly - djl[i]);
            assertTrue(oursMoved > 5 * djlMoved, "gradient " + GRAD[i] + ": ours moved " + oursMoved + ", DJL " + djlMoved);
        }
    }

    private static float[] stepOurs(NDManager manager) {
        Parameter weight = Parameter.builder().setName("layer.weight").setType(Parameter.Type.WEIGHT).build();
        weight.setArray(manager.create(toFloats(START), new Shape(START.length)));
        weight.getArray().setRequiresGradient(true);
        Map<String, Parameter> params = Map.of("layer.weight", weight);
        try (AdamW adamW = new AdamW(manager, params, TrainableParameters.decayMask(params), B1, B2, EPS, WD)) {
            for (int t = 1; t <= STEPS; t++) {
                // loss = sum(GRAD * w): its gradient is GRAD
                try (NDManager step = manager.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(weight.getArray().mul(step.create(toFloats(GRAD))).sum());
                }
                adamW.step(LR, 1.0);
                Gradients.zero(params.values());
            }
        }
        return weight.getArray().toFloatArray();
    }

    private static float[] stepDjl(NDManager manager) {
        ai.djl.training.optimizer.AdamW adamW = ai.djl.training.optimizer.AdamW.builder()
                .optLearningRateTracker(Tracker.fixed((float) LR)).optBeta1((float) B1).optBeta2((float) B2)
                .optEpsilon((float) EPS).optWeightDecays((float) WD).build();
        NDArray w = manager.create(toFloats(START), new Shape(START.length));
        for (int t = 1; t <= STEPS; t++) {
            adamW.update("layer.weight", w, manager.create(toFloats(GRAD)));
        }
        return w.toFloatArray();
    }

    /** Both rules in doubles; {@code djl}: epsilon on the uncorrected sqrt(v), learning rate corrected instead. */
    private static double[] reference(boolean djl) {
        double[] w = START.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        for (int t = 1; t <= STEPS; t++) {
            double bc1 = 1 - Math.pow(B1, t);
            double bc2 = 1 - Math.pow(B2, t);
            for (int i = 0; i < w.length; i++) {
                double g = GRAD[i];
                m[i] = B1 * m[i] + (1 - B1) * g;
                v[i] = B2 * v[i] + (1 - B2) * g * g;
                w[i] *= 1 - LR * WD;
                w[i] -= djl ? LR * Math.sqrt(bc2) / bc1 * m[i] / (Math.sqrt(v[i]) + EPS)
                        : LR * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + EPS);
            }
        }
        return w;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
