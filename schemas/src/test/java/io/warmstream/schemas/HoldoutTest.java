package io.warmstream.schemas;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HoldoutTest {

    @Test
    void heldOutShareMatchesTheFraction() {
        Holdout holdout = new Holdout(0.05, "s1");
        int held = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            if (holdout.isHeldOut("label-" + i)) {
                held++;
            }
        }
        // Binomial(100k, 0.05): sd ~ 69, so +-400 is ~6 sd.
        assertEquals(5_000, held, 400);
    }

    @Test
    void decisionDependsOnlyOnIdAndSalt() {
        Holdout a = new Holdout(0.3, "salt");
        Holdout b = new Holdout(0.3, "salt");
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.isHeldOut("id-" + i), b.isHeldOut("id-" + i));
        }
        // A known value pins the hash so a change to the rule is noticed (it would silently move labels between splits).
        // Value from Python: int.from_bytes(sha256(b'salt:id-0')[:8], 'big') >> 11, times 2**-53.
        assertEquals(0.47174008026199643, new Holdout(0.5, "salt").position("id-0"), 1e-15);
    }

    @Test
    void saltChangesTheSplit() {
        Holdout a = new Holdout(0.5, "one");
        Holdout b = new Holdout(0.5, "two");
        int differ = 0;
        for (int i = 0; i < 1000; i++) {
            if (a.isHeldOut("id-" + i) != b.isHeldOut("id-" + i)) {
                differ++;
            }
        }
        assertNotEquals(0, differ);
    }

    @Test
    void zeroFractionHoldsOutNothingAndBadFractionsAreRefused() {
        assertFalse(new Holdout(0.0, "").isHeldOut("anything"));
        assertThrows(IllegalArgumentException.class, () -> new Holdout(1.0, ""));
        assertThrows(IllegalArgumentException.class, () -> new Holdout(-0.1, ""));
        assertThrows(IllegalArgumentException.class, () -> new Holdout(Double.NaN, ""));
    }

    @Test
    void theSaltIsRequiredAndNeverPrinted() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Holdout.requireSalt("", " ", "warm.x.salt"));
        assertTrue(e.getMessage().contains("warm.holdout.salt") && e.getMessage().contains("warm.x.salt"), e.getMessage());
        assertEquals("own", Holdout.requireSalt("own", "shared", "warm.x.salt"));
        assertEquals("shared", Holdout.requireSalt(null, "shared", "warm.x.salt"));
        Holdout h = new Holdout(0.1, "s3cr3t-salt");
        assertFalse(h.toString().contains("s3cr3t"), h.toString());
        assertTrue(h.toString().contains(h.saltFingerprint()), h.toString());
        assertEquals(8, h.saltFingerprint().length());
        assertNotEquals(h.saltFingerprint(), new Holdout(0.1, "other").saltFingerprint());
    }
}
