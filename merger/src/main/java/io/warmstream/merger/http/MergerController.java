package io.warmstream.merger.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.warmstream.merger.MergerConfig;
import io.warmstream.merger.MergerService;
import io.warmstream.merger.audit.AdminAudit;
import io.warmstream.merger.fold.RollbackRefused;
import io.warmstream.merger.state.AverageState;
import io.warmstream.security.Roles;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The merger's admin API.
 * <ul>
 *   <li>{@code GET /v1/merger/state}: role (ACTIVE, STANDBY, ...), pause flag and the current version with its members.</li>
 *   <li>{@code GET /v1/merger/versions}: the versions kept in the store, newest first.</li>
 *   <li>{@code POST /v1/merger/rollback/{version}}: republishes a kept version as a new version ({@code rollbackOf}
 *       set) and serves it, whatever the quality gate said of it; 200 with the new state, 400 for a version that is
 *       not a positive number, 404 for one that is not kept, 409 if it is current and served or this instance is a
 *       standby, 504 if the merger did not get to it in time.</li>
 *   <li>{@code POST /v1/merger/pause}, {@code /resume}: stop or restart taking checkpoints (the merger stays the
 *       owner; checkpoints wait on the topic). 200 with the state.</li>
 * </ul>
 * The GETs need the {@code reader} role, the POSTs {@code admin} and a JSON body ({@link AdminRequest}, {@code {}} at
 * least; another content type matches no route and is refused, no body is 400). Each POST that reaches the merger, refused or not, is recorded
 * on {@code warm.audit} ({@link AdminAudit}) before the reply.
 */
@Controller("/v1/merger")
@Requires(property = MergerConfig.ENABLED, value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.READER)
public final class MergerController {

    private static final long ROLLBACK_WAIT_SECONDS = 120;

    private final MergerService service;
    private final AdminAudit audit;

    public MergerController(MergerService service, AdminAudit audit) {
        this.service = service;
        this.audit = audit;
    }

    @Get(uri = "/state", produces = MediaType.APPLICATION_JSON)
    public StateView state() {
        return StateView.of(service.average(), service.status(), service.holdoutLabels());
    }

    @Get(uri = "/versions", produces = MediaType.APPLICATION_JSON)
    public VersionsView versions() {
        return VersionsView.of(service.status().state());
    }

    @Post(uri = "/pause", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Secured(Roles.ADMIN)
    public HttpResponse<StateView> pause(HttpRequest<?> request, @Body AdminRequest body) {
        StateView before = state();
        service.pause();
        return audited(request, body, "PAUSE", Map.of(), before, HttpResponse.ok(state()), "ok");
    }

    @Post(uri = "/resume", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Secured(Roles.ADMIN)
    public HttpResponse<StateView> resume(HttpRequest<?> request, @Body AdminRequest body) {
        StateView before = state();
        service.resume();
        return audited(request, body, "RESUME", Map.of(), before, HttpResponse.ok(state()), "ok");
    }

    @Post(uri = "/rollback/{version}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Secured(Roles.ADMIN)
    public HttpResponse<?> rollback(HttpRequest<?> request, @PathVariable("version") String version,
                                    @Body AdminRequest body) {
        StateView before = state();
        MutableHttpResponse<?> reply = rollback(version);
        Object replied = reply.body();
        String outcome = replied instanceof AdminError e ? e.error() : "ok";
        return audited(request, body, "ROLLBACK", Map.of("version", version), before, reply, outcome);
    }

    private MutableHttpResponse<?> rollback(String version) {
        long v;
        try {
            v = Long.parseLong(version.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1) {
            return HttpResponse.badRequest(new AdminError("bad_version",
                    "version must be a positive whole number, got '" + version + "'", null));
        }
        try {
            AverageState next = service.rollback(v).get(ROLLBACK_WAIT_SECONDS, TimeUnit.SECONDS);
            return HttpResponse.ok(StateView.of(service.average(), service.status(), service.holdoutLabels()))
                    .header("X-Warm-Version", String.valueOf(next.version()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RollbackRefused r) {
                HttpStatus status = switch (r.kind()) {
                    case UNKNOWN_VERSION -> HttpStatus.NOT_FOUND;
                    case ALREADY_CURRENT, NOT_ACTIVE, INVALID_VERSION -> HttpStatus.CONFLICT;
                };
                return HttpResponse.status(status).body(new AdminError(r.kind().name().toLowerCase(java.util.Locale.ROOT),
                        r.getMessage(), v));
            }
            return HttpResponse.serverError(new AdminError("failed", "rollback to version " + v + " failed: "
                    + e.getCause(), v));
        } catch (TimeoutException e) {
            return HttpResponse.status(HttpStatus.GATEWAY_TIMEOUT).body(new AdminError("timeout",
                    "the merger did not perform the rollback within " + ROLLBACK_WAIT_SECONDS + " s; it may still happen", v));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpResponse.serverError(new AdminError("failed", "interrupted", v));
        }
    }

    /** Records the action on the audit topic; the reply says in a header if that failed. */
    private <T> MutableHttpResponse<T> audited(HttpRequest<?> request, AdminRequest body, String action,
                                        Map<String, String> arguments, StateView before, MutableHttpResponse<T> reply,
                                        String outcome) {
        String principal = request.getUserPrincipal(Authentication.class).map(Authentication::getName).orElse("anonymous");
        boolean written = audit.record(AdminRecords.action(service.average(), principal, action, arguments,
                body.reason(), outcome, reply.code(), before, state(), request.getRemoteAddress().getHostString()));
        return written ? reply : reply.header("X-Warm-Audit", "failed");
    }
}
