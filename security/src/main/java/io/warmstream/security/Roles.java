package io.warmstream.security;

import java.util.List;

/**
 * The roles a key or token can hold. A role grants its endpoints only: an admin key cannot score unless it also
 * holds {@link #READER}. {@code /health} (liveness and readiness) needs none.
 */
public final class Roles {

    /** {@code POST /v1/preferences}; the label's labeller is the caller's name. */
    public static final String LABELLER = "labeller";
    /** Scoring, comparing, models, drift, the dashboard, the API description and {@code /prometheus}. */
    public static final String READER = "reader";
    /** {@code GET /v1/models/{version}/export}: the weights themselves. */
    public static final String EXPORTER = "exporter";
    /** The merger's pause, resume and rollback. */
    public static final String ADMIN = "admin";

    /** Every role, in the order keys files and help texts list them. */
    public static final List<String> ALL = List.of(LABELLER, READER, EXPORTER, ADMIN);

    private Roles() {
    }
}
