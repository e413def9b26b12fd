package io.warmstream.ingest.http;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Finds invalid UTF-8 in a request body and, if there is any, makes a copy in which every invalid sequence is
 * replaced by U+FFFD and the replacement offsets are remembered. The JSON parser then sees valid text, and the
 * reader can refuse exactly the items (and fields) whose bytes were broken instead of failing the whole body.
 */
final class Utf8Repair {

    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    /** Bytes to parse, and the offsets (into those bytes) where invalid input was replaced; sorted. */
    record Result(byte[] bytes, int offset, int length, int[] badOffsets) {
        boolean clean() {
            return badOffsets.length == 0;
        }

        /** True if a replaced sequence starts in {@code [from, to)}, offsets relative to {@link #offset()}. */
        boolean anyBadIn(long from, long to) {
            if (badOffsets.length == 0) return false;
            int i = Arrays.binarySearch(badOffsets, (int) from);
            if (i >= 0) return true;
            int next = -i - 1;
            return next < badOffsets.length && badOffsets[next] < to;
        }
    }

    private Utf8Repair() {
    }

    static Result repair(byte[] b, int off, int len) {
        int end = off + len;
        int firstBad = firstInvalid(b, off, end);
        if (firstBad < 0) return new Result(b, off, len, new int[0]);

        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 16);
        int[] bad = new int[8];
        int nBad = 0;
        out.write(b, off, firstBad - off);
        int i = firstBad;
        while (i < end) {
            int n = sequenceLength(b, i, end);
            if (n > 0) {
                out.write(b, i, n);
                i += n;
            } else {
                if (nBad == bad.length) bad = Arrays.copyOf(bad, nBad * 2);
                bad[nBad++] = out.size();
                out.write(REPLACEMENT, 0, REPLACEMENT.length);
                i += Math.max(1, -n);
            }
        }
        byte[] fixed = out.toByteArray();
        return new Result(fixed, 0, fixed.length, Arrays.copyOf(bad, nBad));
    }

    /** Index of the first byte that starts an invalid sequence, or -1. */
    private static int firstInvalid(byte[] b, int i, int end) {
        while (i < end) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n <= 0) return i;
            i += n;
        }
        return -1;
    }

    /**
     * Length of the valid UTF-8 sequence at {@code i}, or minus the number of bytes to skip as one invalid unit
     * (the lead byte plus any continuation bytes that belonged to it), per the Unicode "maximal subpart" practice.
     */
    private static int sequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xFF;
        if (lead < 0x80) return 1;
        int need;
        int min2 = 0x80, max2 = 0xBF; // allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) {
            need = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            need = 2;
            if (lead == 0xE0) min2 = 0xA0;      // no overlong forms
            if (lead == 0xED) max2 = 0x9F;      // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            need = 3;
            if (lead == 0xF0) min2 = 0x90;      // no overlong forms
            if (lead == 0xF4) max2 = 0x8F;      // nothing above U+10FFFF
        } else {
            return -1;
        }
        for (int k = 1; k <= need; k++) {
            if (i + k >= end) return -k;
            int c = b[i + k] & 0xFF;
            int lo = k == 1 ? min2 : 0x80;
            int hi = k == 1 ? max2 : 0xBF;
            if (c < lo || c > hi) return -k;
        }
        return need + 1;
    }
}
