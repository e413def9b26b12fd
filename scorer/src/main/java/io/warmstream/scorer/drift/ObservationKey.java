package io.warmstream.scorer.drift;

/**
 * The key of a version's records on {@code warm.drift.observations}: the contract between the observers that send
 * them and the topology that aggregates them, which otherwise share nothing but the topic.
 */
public final class ObservationKey {

    private ObservationKey() {
    }

    public static String of(String average, long version) {
        return average + "/v" + version;
    }
}
