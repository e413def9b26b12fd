package io.warmstream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import io.warmstream.model.bert.NoGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), step for step what {@code torch.optim.AdamW} does:
 * <pre>
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   w = w (1 - lr wd)                                   (decay, not through the gradient)
 *   w = w - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * DJL 0.35.1 has an AdamW too ({@code ai.djl.training.optimizer.AdamW}, decoupled decay), but it is not torch's: it
 * adds eps to the uncorrected {@code sqrt(v)}, so early steps on gradients near eps are many times smaller
 * ({@code AdamWVersusDjlTest}); and it has one weight decay for every parameter (no mask for biases and LayerNorm)
 * and a gradient rescale fixed when built, where {@link #step} takes clipping and loss-scale undo per step. Moments
 * are fp32 on the parameters' device. Updates happen in place, outside autograd.
 */
final class AdamW implements AutoCloseable {

    private final NDManager stateManager;
    private final List<Slot> slots = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private int t;

    private record Slot(String name, Parameter parameter, NDArray m, NDArray v, boolean decay) {}

    /** {@code decays.get(name)} says whether weight decay applies to that parameter. */
    AdamW(NDManager parent, Map<String, Parameter> parameters, Map<String, Boolean> decays,
          double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        stateManager = parent.newSubManager();
        parameters.forEach((name, p) -> {
            NDArray w = p.getArray();
            slots.add(new Slot(name, p, stateManager.zeros(w.getShape(), w.getDataType()),
                    stateManager.zeros(w.getShape(), w.getDataType()), decays.get(name)));
        });
    }

    int stepCount() {
        return t;
    }

    /**
     * One update from the parameters' accumulated gradients multiplied by {@code gradScale} (clipping and loss-scale
     * undo in one factor).
     */
    void step(double lr, double gradScale) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr / bc1);
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Slot s : slots) {
                NDArray w = s.parameter().getArray();
                NDArray g = w.getGradient().mul((float) gradScale);
                s.m().muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                s.v().muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                if (s.decay() && weightDecay > 0) {
                    w.muli((float) (1 - lr * weightDecay));
                }
                NDArray denom = s.v().sqrt().divi((float) bc2Sqrt).addi((float) eps);
                w.subi(s.m().div(denom).muli(stepSize));
            }
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
