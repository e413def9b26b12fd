package io.warmstream.scorer.drift.report;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.drift.DriftConfig;
import io.warmstream.scorer.http.ApiError;
import io.warmstream.security.Roles;

/** The newest drift reports of the served average, as read from warm.drift. */
@Controller("/v1/drift")
@Secured(Roles.READER)
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class DriftController {

    static final int MAX_LIMIT = 1000;

    private final DriftReports reports;
    private final ScorerConfig config;
    private final DriftConfig drift;

    public DriftController(DriftReports reports, ScorerConfig config, DriftConfig drift) {
        this.reports = reports;
        this.config = config;
        this.drift = drift;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Drift reports (reward distribution, PSI, prequential accuracy, agreement), newest window first")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DriftView.Reports.class)))
    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<?> reports(@Parameter(description = "at most this many (1..1000, default 200)", required = false)
                                   @QueryValue(defaultValue = "200") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(ApiError.field("bad_parameter", "limit",
                    "limit must be a number from 1 to " + MAX_LIMIT + ", got \"" + limit + "\""));
        }
        return HttpResponse.ok(new DriftView.Reports(config.average(), drift.window().toSeconds(),
                reports.newest(n).stream().map(DriftView.Report::of).toList()));
    }
}
