package io.warmstream.local.feed;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.eval.world.LabelsJsonl;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;

import java.util.SplittableRandom;

/**
 * The labels a simulated labelling pipeline sends: preference-world TRAIN labels stamped with the time they are
 * sent, and, like real pipelines, now and then a broken one (a pair with two equal responses, a blank prompt, a
 * missing field), which ingest must refuse without disturbing the rest.
 *
 * <p>Which indices are broken depends only on the index, so a resumed demo breaks the same ones.
 */
public final class PipelineLabels {

    private final PreferenceWorld world;
    private final double badFraction;

    public PipelineLabels(PreferenceWorld world, double badFraction) {
        if (!(badFraction >= 0 && badFraction <= 1)) {
            throw new IllegalArgumentException("bad fraction must be in [0, 1]");
        }
        this.world = world;
        this.badFraction = badFraction;
    }

    /** The JSON line for label {@code index}, created at {@code nowMillis}. */
    public String line(long index, long nowMillis) {
        LabelledPair l = world.label(Split.TRAIN, index);
        LabelledPair stamped = new LabelledPair(l.id(), l.prompt(), l.chosen(), l.rejected(), l.labeller(), l.source(),
                l.confidence(), nowMillis, l.metadata());
        SplittableRandom rng = new SplittableRandom(world.config().seed() * 31 + index);
        if (rng.nextDouble() >= badFraction) {
            return LabelsJsonl.toJson(stamped);
        }
        return switch (rng.nextInt(3)) {
            case 0 -> LabelsJsonl.toJson(new LabelledPair(l.id(), l.prompt(), l.chosen(), l.chosen(), l.labeller(), l.source(),
                    l.confidence(), nowMillis, l.metadata()));
            case 1 -> LabelsJsonl.toJson(new LabelledPair(l.id(), " ", l.chosen(), l.rejected(), l.labeller(), l.source(),
                    l.confidence(), nowMillis, l.metadata()));
            default -> LabelsJsonl.toJson(stamped).replaceFirst(",\"rejected\":\"(\\\\.|[^\"\\\\])*\"", "");
        };
    }

    /** Whether label {@code index} is sent broken. */
    public boolean isBroken(long index) {
        return new SplittableRandom(world.config().seed() * 31 + index).nextDouble() < badFraction;
    }
}
