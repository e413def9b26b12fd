package io.warmstream.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.IpPatternsRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Set;

/**
 * Paths no controller of ours declares: {@code /health} (liveness and readiness, open to all, so orchestrators need
 * no key), {@code /prometheus} and the scorer's {@code /swagger/**} files ({@link Roles#READER}). Runs before
 * Micronaut's own rules, so its endpoint-sensitivity rule never lets any authenticated caller read metrics.
 * Everything else is left to {@code @Secured} on the controllers; a route with neither is refused.
 */
@Singleton
public final class ManagementPathsRule implements SecurityRule<HttpRequest<?>> {

    /** Ahead of {@link IpPatternsRule}, the first of Micronaut's rules. */
    public static final int ORDER = IpPatternsRule.ORDER - 100;

    /** Exactly these: a prefix would also let {@code /health/../anything} through. */
    private static final Set<String> OPEN = Set.of("/health", "/health/liveness", "/health/readiness");

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        String path = request.getPath();
        if (OPEN.contains(path)) {
            return Publishers.just(SecurityRuleResult.ALLOWED);
        }
        if (path.equals("/prometheus") || (path.startsWith("/swagger/") && !path.contains(".."))) {
            boolean reader = authentication != null && authentication.getRoles().contains(Roles.READER);
            return Publishers.just(reader ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
        }
        return Publishers.just(SecurityRuleResult.UNKNOWN);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
