package io.warmstream.scorer.http;

import io.micronaut.security.annotation.Secured;
import io.warmstream.scorer.evaluation.EvaluationBoard;
import io.warmstream.scorer.freshness.FreshnessTracker;
import io.warmstream.scorer.shift.RewardShiftTracker;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.SystemFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.warmstream.model.Compute;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.export.ArchiveFormat;
import io.warmstream.scorer.export.ModelExports;
import io.warmstream.scorer.serving.EnsembleStatus;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.LoadFailure;
import io.warmstream.scorer.serving.ModelUpdater;
import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.ServingModel;
import io.warmstream.security.Roles;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the scorer serves: the current version, every version seen, and exports of stored versions. */
@Controller("/v1/models")
@Secured(Roles.READER)
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ModelsController {

    private final HotSwappedModel hot;
    private final ModelUpdater updater;
    private final ModelExports exports;
    private final Compute compute;
    private final EvaluationBoard board;
    private final FreshnessTracker freshness;
    private final RewardShiftTracker shifts;

    public ModelsController(HotSwappedModel hot, ModelUpdater updater, ModelExports exports, Compute compute,
                            EvaluationBoard board, FreshnessTracker freshness, RewardShiftTracker shifts) {
        this.board = board;
        this.shifts = shifts;
        this.freshness = freshness;
        this.hot = hot;
        this.updater = updater;
        this.exports = exports;
        this.compute = compute;
    }

    @Get(uri = "/current", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The serving version: members, accuracy, store URI, load time, ENS state, last load error")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Replies.CurrentModel.class)))
    @ApiResponse(responseCode = "503", description = "no version loaded yet (body says what is loading or failed)",
            content = @Content(schema = @Schema(implementation = Replies.CurrentModel.class)))
    public HttpResponse<Replies.CurrentModel> current() {
        Long loading = hot.loading().isPresent() ? hot.loading().getAsLong() : null;
        Replies.LoadError lastError = hot.lastLoadError().map(ModelsController::loadError).orElse(null);
        Optional<ServingModel> serving = hot.current();
        if (serving.isEmpty()) {
            return HttpResponse.<Replies.CurrentModel>status(HttpStatus.SERVICE_UNAVAILABLE).body(new Replies.CurrentModel(
                    "no_model", "no version of average '" + hot.average() + "' is loaded yet", hot.average(), null, null,
                    null, null, null, null, null, null, null, null, null, null, compute.deviceName(), null, loading,
                    lastError, hot.swaps(), Map.of(), null, null, null));
        }
        ServingModel m = serving.get();
        ModelVersion v = m.version();
        List<Replies.Member> members = v.members().stream()
                .map(x -> new Replies.Member(x.jobId(), x.uri().toString(), x.sha256(), x.validationAccuracy(), x.weight(),
                        Replies.TestSetFigure.of(board.forMember(x.jobId()))))
                .toList();
        EnsembleStatus e = m.ensembleStatus();
        return HttpResponse.ok(new Replies.CurrentModel(null, null, v.average(), v.version(), v.uri().toString(), v.sha256(),
                v.lineage(), v.strategy(), members.size(), members, v.validationAccuracy(), v.membersMeanAccuracy(),
                v.rollbackOf(), text(v.publishedAt()), text(m.loadedAt()), compute.deviceName(),
                new Replies.EnsembleState(e.state(), e.members(), e.error()), loading, lastError, hot.swaps(),
                Replies.TestSetFigure.of(board.forVersion(v.version()), board.changeOf(v.version())),
                freshness.of(v.version()).map(f -> new Replies.Freshness(text(f.servedAt()), f.newestLabelAgeMs(),
                        f.checkpointToServedMs(), f.publishedToServedMs(), f.queueMs(), f.trainingMs(),
                        f.loadedAhead())).orElse(null),
                v.generation(), Replies.Scale.of(v.scale())));
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Every version of the average seen on warm.models, newest first, with its state")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Replies.Versions.class)))
    public Replies.Versions versions() {
        List<Replies.VersionSummary> out = updater.versions().stream().map(s -> new Replies.VersionSummary(
                s.version().version(), s.state(), text(s.version().publishedAt()), s.version().members().size(),
                s.version().validationAccuracy(), s.version().accuracyStandardError(), s.version().rollbackOf(),
                s.failure() == null ? null : s.failure().stage() + ": " + s.failure().message(),
                s.version().members().stream().map(m -> new Replies.MemberRef(m.jobId(), m.validationAccuracy(), m.weight(),
                        Replies.TestSetFigure.of(board.forMember(m.jobId())))).toList(),
                Replies.TestSetFigure.of(board.forVersion(s.version().version()), board.changeOf(s.version().version())),
                s.version().generation(),
                Replies.Scale.of(s.version().scale()),
                shifts.of(s.version().version()).map(Replies.Traffic::of).orElse(null)))
                .toList();
        return new Replies.Versions(hot.average(), out);
    }

    @Get(uri = "/{version}/export")
    @Secured(Roles.EXPORTER)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "A stored version as an archive that Python transformers loads",
            description = "The archive's root holds model.safetensors, config.json, tokenizer.json and warmstream.json: "
                    + "unpack it and call AutoModelForSequenceClassification.from_pretrained(dir); the reward is logits[:, 0]. "
                    + "Every file is checked against its SHA-256 first.")
    @ApiResponse(responseCode = "200", description = "the archive",
            content = {@Content(mediaType = "application/gzip"), @Content(mediaType = "application/zip")})
    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown version, or no longer in the store",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the stored files fail verification", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<?> export(@PathVariable String version,
            @Parameter(description = "tar.gz (default) or zip", required = false) @QueryValue(defaultValue = "tar.gz") String format) {
        long n;
        try {
            n = Long.parseLong(version.trim());
        } catch (NumberFormatException e) {
            return ErrorResponses.badParameter("version", "version must be a number, got \"" + version + "\"");
        }
        ArchiveFormat f;
        try {
            f = ArchiveFormat.parse(format);
        } catch (IllegalArgumentException e) {
            return ErrorResponses.badParameter("format", e.getMessage());
        }
        Optional<ModelVersion> v = updater.version(n);
        if (v.isEmpty()) {
            return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND).body(ApiError.field("unknown_version", "version",
                    "version " + n + " of average '" + hot.average() + "' was never published to this scorer"));
        }
        try {
            Path archive = exports.archive(v.get(), f);
            return HttpResponse.ok(new SystemFile(archive.toFile(), MediaType.of(f.mediaType()))
                    .attach(ModelExports.downloadName(v.get(), f)));
        } catch (ModelExports.ExportException e) {
            HttpStatus status = e.reason().equals("gone") ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT;
            return HttpResponse.<ApiError>status(status).body(ApiError.field("version_" + e.reason(), "version", e.getMessage()));
        }
    }

    private static Replies.LoadError loadError(LoadFailure f) {
        return new Replies.LoadError(f.version(), f.stage(), f.message(), text(f.at()));
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
