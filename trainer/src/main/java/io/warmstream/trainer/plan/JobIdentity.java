package io.warmstream.trainer.plan;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The deterministic names of planned jobs. Everything here is a hash of content, so a job planned again (after a
 * crash) or redone (after a worker died) carries the same id, seed and head key.
 */
public final class JobIdentity {

    /** Average names end up in store keys and file names. */
    public static final Pattern AVERAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private JobIdentity() {
    }

    /** The seed of the {@code sequence}-th job (1-based) of {@code average}: data order, dropout and the grid draw. */
    public static long seed(String average, long sequence, long baseSeed) {
        byte[] d = sha256("warmstream-seed\u0000" + average + "\u0000" + sequence + "\u0000" + baseSeed);
        return ByteBuffer.wrap(d, 0, 8).getLong() >>> 1; // non-negative, for readable logs
    }

    /**
     * {@code <average>-<sequence, 6 digits>-<12 hex digits of SHA-256(average, topic, spans, seed)>}: readable,
     * ordered within an average, and a function of the job's content.
     */
    public static String jobId(String average, long sequence, String topic, List<OffsetSpan> spans, long seed) {
        StringBuilder content = new StringBuilder("warmstream-job\u0000").append(average).append('\u0000')
                .append(topic);
        for (OffsetSpan s : spans) {
            content.append('\u0000').append(s);
        }
        content.append('\u0000').append(seed);
        return String.format("%s-%06d-%s", average, sequence, hex(sha256(content.toString())).substring(0, 12));
    }

    /**
     * Store key of the shared LP-FT head of an average: {@code heads/<average>/<16 hex digits>} over everything the
     * head's content depends on (base model, labels, sequence length, validation split), so a different base or
     * split never reuses a stale head. Generations after the first append {@code /g<generation>}, so the store
     * shows which head a generation used.
     */
    public static String headKey(String average, String baseModel, String topic, List<OffsetSpan> spans,
                                 int maxSequenceLength, double validationFraction, String validationSalt,
                                 int generation) {
        String key = headKey(average, baseModel, topic, spans, maxSequenceLength, validationFraction, validationSalt);
        return generation == 0 ? key : key + "/g" + generation;
    }

    /** {@link #headKey(String, String, String, List, int, double, String, int)} of generation 0. */
    public static String headKey(String average, String baseModel, String topic, List<OffsetSpan> spans,
                                 int maxSequenceLength, double validationFraction, String validationSalt) {
        StringBuilder content = new StringBuilder("warmstream-head\u0000").append(average).append('\u0000')
                .append(baseModel).append('\u0000').append(topic);
        for (OffsetSpan s : spans) {
            content.append('\u0000').append(s);
        }
        content.append('\u0000').append(maxSequenceLength).append('\u0000').append(validationFraction)
                .append('\u0000').append(validationSalt);
        return "heads/" + average + "/" + hex(sha256(content.toString())).substring(0, 16);
    }

    /** Where a job's model goes in the checkpoint store. */
    public static String checkpointKey(String average, String jobId) {
        return "checkpoints/" + average + "/" + jobId;
    }

    public static void requireAverageName(String average) {
        if (average == null || !AVERAGE_NAME.matcher(average).matches()) {
            throw new IllegalArgumentException("average name '" + average
                    + "' must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
