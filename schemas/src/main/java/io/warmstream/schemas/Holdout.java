package io.warmstream.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which labels are held out for validation: the meaning of {@code TrainingJob.validationFraction} and
 * {@code validationSalt}.
 *
 * <p>A label is held out when the first 8 bytes of SHA-256(salt + ":" + id), read as an unsigned number and
 * scaled to [0, 1), fall below the fraction. Hashing the id (not the offset or arrival order) keeps the split
 * stable: the same label is held out by every trainer, by the merger's linear-mode-connectivity guard and by
 * the scorer's prequential check, whichever job or partition it arrives in.
 *
 * <p>The salt is a secret of the deployment: whoever knows it can choose label ids that land in the held-out split
 * (and so steer the merger's guard and gate). Services take it from {@link #SHARED_SALT} ({@code WARM_HOLDOUT_SALT})
 * or their own key and refuse to start without one ({@link #requireSalt}); it never appears in {@link #toString()},
 * logs or HTTP replies, only its {@link #saltFingerprint()}.
 */
public final class Holdout {

    /** The one salt setting every service falls back to ({@code WARM_HOLDOUT_SALT}). */
    public static final String SHARED_SALT = "warm.holdout.salt";

    private final double fraction;
    private final String salt;

    public Holdout(double fraction, String salt) {
        if (!(fraction >= 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        }
        this.fraction = fraction;
        this.salt = salt == null ? "" : salt;
    }

    public double fraction() {
        return fraction;
    }

    public String salt() {
        return salt;
    }

    /**
     * The deployment's salt: {@code serviceValue} (the service's own key), else {@code sharedValue}
     * ({@link #SHARED_SALT}); an {@link IllegalStateException} naming both settings if neither is set.
     */
    public static String requireSalt(String serviceValue, String sharedValue, String serviceKey) {
        if (serviceValue != null && !serviceValue.isBlank()) return serviceValue;
        if (sharedValue != null && !sharedValue.isBlank()) return sharedValue;
        throw new IllegalStateException("the hold-out salt is not set: set " + SHARED_SALT + " (WARM_HOLDOUT_SALT) or "
                + serviceKey + " to a secret of this deployment, the same for trainers, merger and scorers "
                + "(e.g. the output of 'openssl rand -hex 16'); ./warm up generates one in its data directory");
    }

    /** The first 8 hex digits of SHA-256 of the salt: enough to see that two services agree, useless to guess it. */
    public String saltFingerprint() {
        return saltFingerprint(salt);
    }

    public static String saltFingerprint(String salt) {
        return java.util.HexFormat.of().formatHex(sha256(("salt:" + (salt == null ? "" : salt))
                .getBytes(StandardCharsets.UTF_8))).substring(0, 8);
    }

    @Override
    public String toString() {
        return "Holdout[fraction=" + fraction + ", salt fingerprint " + saltFingerprint() + "]";
    }

    /** True when the label with this id belongs to the validation split. */
    public boolean isHeldOut(String labelId) {
        return position(labelId) < fraction;
    }

    /** Where the id falls in [0, 1); uniform over ids. */
    double position(String labelId) {
        byte[] digest = sha256((salt + ":" + labelId).getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        // Top 53 bits give an exactly representable double in [0, 1).
        return (bits >>> 11) * 0x1.0p-53;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
