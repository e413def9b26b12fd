package io.warmstream.merger.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.warmstream.merger.MergerConfig;
import io.warmstream.merger.MergerService;
import io.warmstream.merger.fold.RollbackRefused;
import io.warmstream.merger.state.AverageState;

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
 */
@Controller("/v1/merger")
@Requires(property = MergerConfig.ENABLED, value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class MergerController {

    private static final long ROLLBACK_WAIT_SECONDS = 120;

    private final MergerService service;

    public MergerController(MergerService service) {
        this.service = service;
    }

    @Get(uri = "/state", produces = MediaType.APPLICATION_JSON)
    public StateView state() {
        return StateView.of(service.average(), service.status(), service.holdoutLabels());
    }

    @Get(uri = "/versions", produces = MediaType.APPLICATION_JSON)
    public VersionsView versions() {
        return VersionsView.of(service.status().state());
    }

    @Post(uri = "/pause", produces = MediaType.APPLICATION_JSON)
    public StateView pause() {
        service.pause();
        return state();
    }

    @Post(uri = "/resume", produces = MediaType.APPLICATION_JSON)
    public StateView resume() {
        service.resume();
        return state();
    }

    @Post(uri = "/rollback/{version}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> rollback(@PathVariable("version") String version) {
        long v;
        try {
            v = Long.parseLong(version.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1) {
            return HttpResponse.badRequest(new ErrorReply("bad_version",
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
                    case ALREADY_CURRENT, NOT_ACTIVE -> HttpStatus.CONFLICT;
                };
                return HttpResponse.status(status).body(new ErrorReply(r.kind().name().toLowerCase(java.util.Locale.ROOT),
                        r.getMessage(), v));
            }
            return HttpResponse.serverError(new ErrorReply("failed", "rollback to version " + v + " failed: "
                    + e.getCause(), v));
        } catch (TimeoutException e) {
            return HttpResponse.status(HttpStatus.GATEWAY_TIMEOUT).body(new ErrorReply("timeout",
                    "the merger did not perform the rollback within " + ROLLBACK_WAIT_SECONDS + " s; it may still happen", v));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpResponse.serverError(new ErrorReply("failed", "interrupted", v));
        }
    }
}
