package io.warmstream.scorer.serving;

/**
 * Whether ENS mode can serve a version: {@code disabled} (warm.scorer.ens.enabled is false), {@code loading},
 * {@code ready} (with the member count), {@code failed} (with the reason) or {@code unavailable} (no or too many
 * members).
 */
public record EnsembleStatus(String state, int members, String error) {

    public static final EnsembleStatus DISABLED = new EnsembleStatus("disabled", 0, null);

    public static EnsembleStatus loading(int members) {
        return new EnsembleStatus("loading", members, null);
    }

    public static EnsembleStatus ready(int members) {
        return new EnsembleStatus("ready", members, null);
    }

    public static EnsembleStatus failed(int members, String error) {
        return new EnsembleStatus("failed", members, error);
    }

    public static EnsembleStatus unavailable(int members, String why) {
        return new EnsembleStatus("unavailable", members, why);
    }

    public boolean ready() {
        return state.equals("ready");
    }
}
