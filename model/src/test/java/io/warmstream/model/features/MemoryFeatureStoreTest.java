package io.warmstream.model.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryFeatureStoreTest {

    static SequenceKey key(int i) {
        return SequenceKey.of(SequenceKey.namespace(42, 2, 4, 16), new TokenSequence(new long[] {101, i, 102},
                new long[] {0, 0, 0}));
    }

    @Test
    void leastRecentlyUsedEntriesGoFirstAndTheBudgetHolds() {
        long entry = MemoryFeatureStore.sizeOf(new float[100]);
        MemoryFeatureStore store = new MemoryFeatureStore(3 * entry + entry / 2);
        float[] zero = new float[100];
        store.put(key(0), zero);
        store.put(key(1), new float[100]);
        store.put(key(2), new float[100]);
        assertSame(zero, store.get(key(0)), "0 is now the most recently used");
        store.put(key(3), new float[100]);

        assertFalse(store.contains(key(1)), "1 was the least recently used");
        assertTrue(store.contains(key(0)) && store.contains(key(2)) && store.contains(key(3)));
        assertEquals(3, store.entries());
        assertEquals(3 * entry, store.bytes());
        assertEquals(1, store.evictions());
        for (int i = 4; i < 40; i++) {
            store.put(key(i), new float[100 + i]);
            assertTrue(store.bytes() <= store.budgetBytes(), "over budget after put " + i + ": " + store.bytes());
        }
        assertTrue(store.contains(key(39)));
        assertNull(store.get(key(0)));
    }

    @Test
    void anEntryLargerThanTheWholeBudgetIsNotStoredAndEvictsNothing() {
        MemoryFeatureStore store = new MemoryFeatureStore(MemoryFeatureStore.sizeOf(new float[10]));
        store.put(key(0), new float[10]);
        store.put(key(1), new float[11]);
        assertTrue(store.contains(key(0)));
        assertFalse(store.contains(key(1)));
        assertEquals(0, store.evictions());
    }

    @Test
    void keysDifferByEveryInputToTheBottom() {
        TokenSequence tokens = new TokenSequence(new long[] {101, 7, 102}, new long[] {0, 0, 0});
        SequenceKey k = SequenceKey.of(SequenceKey.namespace(42, 2, 4, 16), tokens);
        assertEquals(k, SequenceKey.of(SequenceKey.namespace(42, 2, 4, 16),
                new TokenSequence(new long[] {101, 7, 102}, new long[] {0, 0, 0})));
        assertFalse(k.equals(SequenceKey.of(SequenceKey.namespace(43, 2, 4, 16), tokens)), "other weights");
        assertFalse(k.equals(SequenceKey.of(SequenceKey.namespace(42, 3, 4, 16), tokens)), "other layer count");
        assertFalse(k.equals(SequenceKey.of(SequenceKey.namespace(42, 2, 4, 32), tokens)), "other max length");
        assertFalse(k.equals(SequenceKey.of(SequenceKey.namespace(42, 2, 4, 16),
                new TokenSequence(new long[] {101, 7, 102}, new long[] {0, 1, 1}))), "other token types");
        assertEquals(64, k.hex().length());
    }
}
