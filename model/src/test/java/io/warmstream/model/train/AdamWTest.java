package io.warmstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against the update rule written out in doubles (torch.optim.AdamW's algorithm). */
class AdamWTest {

    @Test
    void matchesDecoupledWeightDecayReference() {
        double lr = 0.1, wd = 0.5, b1 = 0.9, b2 = 0.99, eps = 1e-8, gradScale = 0.5;
        double[] c = {1.0, -3.0, 0.25};
        double[] w = {1.0, -2.0, 0.5};
        double[] bias = {0.3};
        double[] m = new double[3], v = new double[3], mb = new double[1], vb = new double[1];
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Parameter weight = Parameter.builder().setName("layer.weight").setType(Parameter.Type.WEIGHT).build();
            Parameter biasParam = Parameter.builder().setName("layer.bias").setType(Parameter.Type.BIAS).build();
            weight.setArray(manager.create(new float[] {1.0f, -2.0f, 0.5f}, new Shape(3)));
            biasParam.setArray(manager.create(new float[] {0.3f}, new Shape(1)));
            weight.getArray().setRequiresGradient(true);
            biasParam.getArray().setRequiresGradient(true);
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("layer.weight", weight);
            params.put("layer.bias", biasParam);
            try (AdamW adamW = new AdamW(manager, params, TrainableParameters.decayMask(params), b1, b2, eps, wd)) {
                for (int t = 1; t <= 3; t++) {
                    // loss = sum(c * w^2) + bias^3  => grad w = 2 c w, grad bias = 3 bias^2
                    try (NDManager step = manager.newSubManager();
                            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray cw = step.create(new float[] {(float) c[0], (float) c[1], (float) c[2]});
                        NDArray loss = weight.getArray().square().mul(cw).sum().add(biasParam.getArray().pow(3).sum());
                        gc.backward(loss);
                    }
                    adamW.step(lr, gradScale);
                    Gradients.zero(params.values());
                    for (int i = 0; i < 3; i++) {
                        w[i] = reference(w[i], 2 * c[i] * w[i] * gradScale, m, v, i, t, lr, wd, b1, b2, eps);
                    }
                    bias[0] = reference(bias[0], 3 * bias[0] * bias[0] * gradScale, mb, vb, 0, t, lr, 0, b1, b2, eps);
                }
                float[] got = weight.getArray().toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(w[i], got[i], 1e-5, "w[" + i + "]");
                }
                assertEquals(bias[0], biasParam.getArray().toFloatArray()[0], 1e-5, "bias (no decay)");
            }
        }
    }

    private static double reference(double w, double g, double[] m, double[] v, int i, int t,
                                    double lr, double wd, double b1, double b2, double eps) {
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        w = w * (1 - lr * wd);
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = v[i] / (1 - Math.pow(b2, t));
        return w - lr * mHat / (Math.sqrt(vHat) + eps);
    }
}
