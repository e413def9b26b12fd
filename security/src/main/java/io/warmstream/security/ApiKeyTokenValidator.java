package io.warmstream.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * {@code Authorization: Bearer <API key>}: a key whose hash is in the keys file authenticates as its name with its
 * roles. Anything else (a JWT, say) is left to the other validators.
 */
@Singleton
public final class ApiKeyTokenValidator implements TokenValidator<HttpRequest<?>> {

    private final ApiKeys keys;

    public ApiKeyTokenValidator(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
        return keys.find(token)
                .<Publisher<Authentication>>map(e -> Publishers.just(Authentication.build(e.name(), e.roles())))
                .orElseGet(Publishers::empty);
    }

    @Override
    public int getOrder() {
        return -100; // before the JWT validator: a key never parses as a JWT, so this costs one hash
    }
}
