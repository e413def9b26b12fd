package io.warmstream.scorer.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestSetOutcomesTest {

    @Test
    void packsPairIIntoBitIModulo8OfByteIOver8AndBack() {
        boolean[] right = {true, false, false, true, false, false, false, false, false, true};
        TestSetOutcomes o = new TestSetOutcomes("gold-id", right, 7);
        byte[] bits = o.packed();
        assertArrayEquals(new byte[] {0b0000_1001, 0b0000_0010}, bits);
        TestSetOutcomes back = TestSetOutcomes.unpacked("gold-id", 10, bits, 7);
        assertArrayEquals(right, back.right());
        assertEquals(0.3, back.accuracy().accuracy(), 1e-12);
    }

    @Test
    void refusesBitsThatDoNotFitThePairCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestSetOutcomes.unpacked("gold-id", 17, new byte[2], 0));
        assertTrue(e.getMessage().contains("2 bytes of outcomes for 17 pairs (need 3)"), e.getMessage());
    }
}
