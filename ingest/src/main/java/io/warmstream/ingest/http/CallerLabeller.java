package io.warmstream.ingest.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.warmstream.events.PreferenceLabel;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labeller recorded on a label is the authenticated caller, so nobody writes as another labeller. A label
 * whose body names someone else is still accepted (batch tools relay files written elsewhere) but recorded under
 * the caller's name; the name the body gave is kept in {@code metadata["claimed_labeller"]} for the record, where
 * nothing downstream treats it as the labeller. Without authentication (security turned off) the body's labeller
 * stands, as before.
 */
final class CallerLabeller {

    /** Metadata key of a differing labeller named in the body. */
    static final String CLAIMED = "claimed_labeller";

    private final String caller;

    private CallerLabeller(String caller) {
        this.caller = caller;
    }

    static CallerLabeller of(HttpRequest<?> request) {
        Optional<Authentication> auth = request.getUserPrincipal(Authentication.class);
        return new CallerLabeller(auth.map(Authentication::getName).orElse(null));
    }

    /**
     * Sets the caller as the label's labeller. {@code defaultLabeller} is what the reader filled in for a body
     * without one: that is no claim, so it is not kept.
     */
    void stamp(PreferenceLabel label, String defaultLabeller) {
        if (caller == null) return;
        String claimed = label.getLabeller();
        if (claimed != null && !claimed.equals(caller) && !claimed.equals(defaultLabeller)) {
            Map<String, String> metadata = new HashMap<>(label.getMetadata() == null ? Map.of() : label.getMetadata());
            metadata.put(CLAIMED, claimed);
            label.setMetadata(metadata);
        }
        label.setLabeller(caller);
    }
}
