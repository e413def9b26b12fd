package io.warmstream.eval.world;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from the world seed and a path of salts (split, index, purpose...), so any task,
 * label or candidate can be generated on its own, in any order, and always comes out the same.
 */
final class Seeds {
    static final long TASK = 0x7A5C;
    static final long PAIR = 0x9A1B;
    static final long FLIP = 0xF11F;
    static final long LABELLER = 0x1ABE;
    static final long CANDIDATES = 0xCA4D;
    static final long WRITE = 0x3217;

    private Seeds() {
    }

    static SplittableRandom derive(long... path) {
        return new SplittableRandom(hash(path));
    }

    /** A uniform double in [0, 1) that depends only on the path. */
    static double uniform(long... path) {
        return (hash(path) >>> 11) * 0x1.0p-53;
    }

    private static long hash(long... path) {
        long h = 0x9E3779B97F4A7C15L;
        for (long part : path) {
            h = mix(h ^ mix(part + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijective avalanche over 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
