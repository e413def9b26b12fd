package io.warmstream.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;

/**
 * HTTP Basic with an API key as the password (any user name; the key names the caller), for browsers: the
 * dashboard's login prompt. A browser then resends it only to the same origin, and every state-changing endpoint
 * takes JSON only, which a cross-site page cannot send without a CORS preflight that these services refuse.
 */
@Singleton
public final class ApiKeyBasicAuthProvider<B> implements HttpRequestAuthenticationProvider<B> {

    private final ApiKeys keys;

    public ApiKeyBasicAuthProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        return keys.find(auth.getSecret())
                .map(e -> AuthenticationResponse.success(e.name(), e.roles()))
                .orElseGet(() -> AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
    }
}
