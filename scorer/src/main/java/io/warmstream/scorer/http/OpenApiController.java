package io.warmstream.scorer.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Hidden;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.security.Roles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /v1/openapi.yml}: the OpenAPI description generated at build time (also under {@code /swagger/}). */
@Controller("/v1")
@Secured(Roles.READER)
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class OpenApiController {

    static final String RESOURCE = "META-INF/swagger/warmstream-scorer.yml";

    private final byte[] yaml;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            yaml = in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    @Hidden
    public HttpResponse<?> openApi() {
        if (yaml == null) {
            return HttpResponse.notFound(ApiError.of("not_built", RESOURCE + " is missing from the classpath"));
        }
        return HttpResponse.ok(yaml).contentType("application/yaml");
    }
}
