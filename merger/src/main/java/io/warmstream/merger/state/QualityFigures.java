package io.warmstream.merger.state;

import java.util.Locale;

/**
 * What the held-out checks measured of a version beyond its accuracy, and whether the quality gate withheld it. The
 * paired figures compare it with the version served when it was made, on the same held-out pairs; they are null when
 * no comparison was made (gate off, first version, too few labels, the served version could not be scored, rollback).
 *
 * @param accuracyStandardError sqrt(p(1-p)/n) of the version's held-out accuracy; null when not measured
 * @param comparedWith          the served version it was compared with
 * @param comparedWithAccuracy  that version's accuracy on the same pairs
 * @param pairedDifference      mean per-pair (this right) - (that right)
 * @param pairedStandardError   standard error of {@code pairedDifference}
 * @param withheld              recorded but not served: worse than the served version beyond the gate's threshold,
 *                              a newer generation that does not beat it yet, or a superseded generation
 * @param withheldReason        the gate's reason when withheld; null when served
 */
public record QualityFigures(Double accuracyStandardError, Long comparedWith, Double comparedWithAccuracy,
                             Double pairedDifference, Double pairedStandardError, boolean withheld,
                             String withheldReason) {

    public static final QualityFigures NONE = new QualityFigures(null, null, null, null, null, false);

    /** Without a recorded reason (records from before generations). */
    public QualityFigures(Double accuracyStandardError, Long comparedWith, Double comparedWithAccuracy,
                          Double pairedDifference, Double pairedStandardError, boolean withheld) {
        this(accuracyStandardError, comparedWith, comparedWithAccuracy, pairedDifference, pairedStandardError,
                withheld, null);
    }

    /** Only the accuracy's standard error (no comparison made); served. */
    public static QualityFigures accuracyOnly(Double accuracyStandardError) {
        return new QualityFigures(accuracyStandardError, null, null, null, null, false);
    }

    /** For the log: ", held-out accuracy 0.9100 +- 0.0120 vs members' 0.9050; vs served version 3 ...", or "". */
    public String describe(Double accuracy, Double membersMeanAccuracy) {
        if (accuracy == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, ", held-out accuracy %.4f", accuracy));
        if (accuracyStandardError != null) {
            s.append(String.format(Locale.ROOT, " +- %.4f", accuracyStandardError));
        }
        if (membersMeanAccuracy != null) {
            s.append(String.format(Locale.ROOT, " vs members' %.4f", membersMeanAccuracy));
        }
        if (comparedWith != null) {
            s.append(String.format(Locale.ROOT, "; vs served version %d (%.4f on the same labels): paired "
                    + "difference %+.4f +- %.4f", comparedWith, comparedWithAccuracy, pairedDifference,
                    pairedStandardError == null ? Double.NaN : pairedStandardError));
        }
        return s.toString();
    }
}
