package io.warmstream.scorer.dashboard;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Hidden;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.security.Roles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /dashboard}: one self-contained page (inline CSS, script and hand-drawn SVG; nothing loaded from
 * elsewhere) that polls {@code /v1/models} and {@code /v1/drift}. {@code GET /} redirects to it.
 */
@Controller
@Secured(Roles.READER)
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Hidden
public final class DashboardController {

    private static final String PAGE = "warmstream/scorer/dashboard.html";
    private final String html;

    public DashboardController() {
        try (InputStream in = DashboardController.class.getClassLoader().getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException(PAGE + " is missing from the classpath");
            }
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get("/dashboard")
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> dashboard() {
        return HttpResponse.ok(html).header("Cache-Control", "no-cache");
    }

    @Get("/")
    public HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create("/dashboard"));
    }
}
