/**
 * Authentication and roles shared by every warmstream HTTP service (Micronaut Security): API keys checked against a
 * keys file of SHA-256 hashes that is re-read when it changes ({@link io.warmstream.security.ApiKeys}), sent as
 * {@code Authorization: Bearer <key>} or as the password of HTTP Basic; bearer JWTs when a JWKS or secret is
 * configured (micronaut-security-jwt); the {@link io.warmstream.security.Roles}; and the management paths' rule.
 */
package io.warmstream.security;
