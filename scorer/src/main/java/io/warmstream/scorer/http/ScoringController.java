package io.warmstream.scorer.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.serving.ModelUpdater;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.security.Roles;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/rewards} and {@code POST /v1/compare}: score with the serving version through the dynamic batcher.
 * Runs on the event loop: parsing is short CPU work and the answer comes from the batcher's future. Each request
 * gets the {@code warm.scorer.limits.deadline}, and its queued work is cancelled if its client goes away first.
 */
@Controller("/v1")
@Secured(Roles.READER)
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ScoringController {

    private final DynamicBatcher batcher;
    private final RequestReader reader;
    private final Duration deadline;
    private final RewardAnswers answers;

    public ScoringController(DynamicBatcher batcher, ScorerConfig config, ModelUpdater updater) {
        this.batcher = batcher;
        this.reader = new RequestReader(config.maxItems(), config.maxChars());
        this.deadline = config.deadline();
        this.answers = new RewardAnswers(updater::version, config.defaultLambda(), config.maxLambda());
    }

    @Post(uri = "/rewards", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Rewards for (prompt, response) items",
            description = "All rewards come from one model version, named in the body and the Warm-Model-Version header. "
                    + "\"version\": N pins a version still loaded here (warm.scorer.versions.keep). mode=ens (body or query) "
                    + "scores with the prediction ensemble of the version's members (M forward passes; needs "
                    + "warm.scorer.ens.enabled). \"normalize\": true gives (raw - mean) / std on the version's reward scale; "
                    + "\"uncertainty\": true (or a \"lambda\") adds the members' spread and rewards - lambda * std (ENS).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Replies.RewardsRequest.class))))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Replies.Rewards.class)))
    @ApiResponse(responseCode = "400", description = "malformed JSON, missing, mistyped or unknown field, text too long",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "the pinned version is newer than the serving one and not loaded",
            content = @Content(schema = @Schema(implementation = Replies.VersionNotLoaded.class)))
    @ApiResponse(responseCode = "409", description = "normalize asked for a version without a reward scale",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "410", description = "the pinned version is no longer loaded: the body lists those that are",
            content = @Content(schema = @Schema(implementation = Replies.VersionNotLoaded.class)))
    @ApiResponse(responseCode = "413", description = "body larger than micronaut.server.max-request-size, more than max-items "
            + "items, or more padded tokens than the whole token budget", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "429", description = "token budget full; retry after Retry-After", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "no model loaded yet, ENS not available, or not scored within the deadline",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletableFuture<HttpResponse<?>> rewards(HttpRequest<?> request, @Body @Nullable byte[] body,
            @Parameter(description = "warm (default) or ens; or \"mode\" in the body", required = false) @Nullable @QueryValue String mode) {
        try {
            RequestReader.Items items = reader.readItems(body);
            RewardAnswers.Plan plan = answers.plan(items.options(), mode);
            CompletableFuture<Scores> scores = batcher.submit(plan.mode(), Origin.HTTP, items.prompts(), items.responses(),
                    deadline, plan.version());
            ClientGone.cancelOnClose(request, scores);
            return scores.<HttpResponse<?>>thenApply(s -> RewardAnswers.ok(answers.rewards(s, plan), s.version()))
                    .exceptionally(RewardAnswers::error);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RewardAnswers.error(e));
        }
    }

    @Post(uri = "/compare", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Probability that response a is preferred over b for the prompt",
            description = "pAOverB = sigmoid(r_a - r_b) (Bradley-Terry) of the raw rewards, both from one version. Takes "
                    + "the same version, mode, normalize, uncertainty and lambda fields as /v1/rewards.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Replies.CompareRequest.class))))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Replies.Comparison.class)))
    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "410", content = @Content(schema = @Schema(implementation = Replies.VersionNotLoaded.class)))
    @ApiResponse(responseCode = "429", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletableFuture<HttpResponse<?>> compare(HttpRequest<?> request, @Body @Nullable byte[] body,
            @Parameter(description = "warm (default) or ens; or \"mode\" in the body", required = false) @Nullable @QueryValue String mode) {
        try {
            RequestReader.Comparison c = reader.readComparison(body);
            RewardAnswers.Plan plan = answers.plan(c.options(), mode);
            CompletableFuture<Scores> scores = batcher.submit(plan.mode(), Origin.HTTP, List.of(c.prompt(), c.prompt()),
                    List.of(c.a(), c.b()), deadline, plan.version());
            ClientGone.cancelOnClose(request, scores);
            return scores.<HttpResponse<?>>thenApply(s -> RewardAnswers.ok(answers.comparison(s, plan), s.version()))
                    .exceptionally(RewardAnswers::error);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RewardAnswers.error(e));
        }
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
