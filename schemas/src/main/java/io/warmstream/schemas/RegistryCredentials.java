package io.warmstream.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The schema registry credentials of {@link EventSerdes}' settings: HTTP Basic ({@code user:password}) or a bearer
 * token, or none. {@link #toString()} never shows the secret.
 */
record RegistryCredentials(String user, String secret, Kind kind) {

    enum Kind { NONE, BASIC, BEARER }

    static RegistryCredentials from(String basicUserInfo, String bearerToken) {
        boolean hasBasic = basicUserInfo != null && !basicUserInfo.isBlank();
        boolean hasBearer = bearerToken != null && !bearerToken.isBlank();
        if (hasBasic && hasBearer) {
            throw new IllegalArgumentException("set " + EventSerdes.BASIC_AUTH_USER_INFO + " or " + EventSerdes.BEARER_TOKEN
                    + ", not both");
        }
        if (hasBasic) {
            int colon = basicUserInfo.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(EventSerdes.BASIC_AUTH_USER_INFO + " must be user:password");
            }
            return new RegistryCredentials(basicUserInfo.substring(0, colon), basicUserInfo.substring(colon + 1), Kind.BASIC);
        }
        if (hasBearer) {
            return new RegistryCredentials(null, bearerToken.trim(), Kind.BEARER);
        }
        return new RegistryCredentials(null, null, Kind.NONE);
    }

    boolean basic() {
        return kind == Kind.BASIC;
    }

    boolean bearer() {
        return kind == Kind.BEARER;
    }

    /** The {@code Authorization} header value, or null without credentials. */
    String authorizationHeader() {
        return switch (kind) {
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
            case BEARER -> "Bearer " + secret;
            case NONE -> null;
        };
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + kind + (user != null ? ", user " + user : "") + "]";
    }
}
