package io.warmstream.scorer.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.security.Roles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The request and response shapes RL frameworks already speak, so they point at the scorer with no glue code: the
 * remote reward model of OpenRLHF ({@code POST /get_reward}, the path of its own {@code serve_rm}) and vLLM's score
 * API for sequence-classification models ({@code POST /score}, {@code /v1/score}). Both score WARM rewards of the
 * serving version through the same batcher, limits and deadline as {@code /v1/rewards}; the version that answered
 * is in the {@code Warm-Model-Version} header. How each splits its texts into prompt and response:
 * {@link CompatRequests}.
 */
@Controller
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Secured(Roles.READER)
public final class CompatController {

    private final DynamicBatcher batcher;
    private final CompatRequests reader;
    private final Duration deadline;
    private final String average;

    public CompatController(DynamicBatcher batcher, ScorerConfig config) {
        this.batcher = batcher;
        this.reader = new CompatRequests(config.maxItems(), config.maxChars(), config.querySeparator());
        this.deadline = config.deadline();
        this.average = config.average();
    }

    @Serdeable
    @Schema(name = "OpenRlhfRewards", description = "OpenRLHF remote reward model answer: one reward per query.")
    public record OpenRlhfRewards(float[] rewards, long version) {
    }

    @Serdeable
    @Schema(name = "VllmScoreData")
    public record VllmScoreData(int index, String object, double score) {
    }

    @Serdeable
    @Schema(name = "VllmUsage", description = "Tokens are not counted by the scorer: 0.")
    public record VllmUsage(int prompt_tokens, int total_tokens, int completion_tokens) {
    }

    @Serdeable
    @Schema(name = "VllmScoreResponse", description = "vLLM's score answer; score is the raw reward (no sigmoid).")
    public record VllmScoreResponse(String id, String object, long created, String model, List<VllmScoreData> data,
                                    VllmUsage usage) {
    }

    @Post(uri = "/get_reward", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "OpenRLHF remote reward model: {\"query\": [..]} in, {\"rewards\": [..]} out",
            description = "Each query is prompt + response in one string. With \"prompts\" (as OpenRLHF sends them) the "
                    + "response is the rest of the query after its prompt; otherwise the query is split at the last "
                    + "warm.scorer.compat.query-separator. \"labels\" are accepted and unused.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OpenRlhfRewards.class)))
    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletableFuture<HttpResponse<?>> openRlhf(HttpRequest<?> request, @Body @Nullable byte[] body) {
        try {
            CompatRequests.Pairs pairs = reader.openRlhf(body);
            return score(request, pairs, s -> new OpenRlhfRewards(s.rewards(), s.version()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RewardAnswers.error(e));
        }
    }

    @Post(uris = {"/score", "/v1/score"}, consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "vLLM score API for sequence-classification models",
            description = "text_1 is the prompt and text_2 the response; one text_1 goes with every text_2. The score is "
                    + "the raw reward of the serving version (no sigmoid); model, if sent, is echoed.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = VllmScoreResponse.class)))
    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletableFuture<HttpResponse<?>> vllmScore(HttpRequest<?> request, @Body @Nullable byte[] body) {
        try {
            CompatRequests.Pairs pairs = reader.vllmScore(body);
            String model = pairs.model() != null ? pairs.model() : average;
            return score(request, pairs, s -> {
                List<VllmScoreData> data = new ArrayList<>(s.rewards().length);
                for (int i = 0; i < s.rewards().length; i++) {
                    data.add(new VllmScoreData(i, "score", s.rewards()[i]));
                }
                return new VllmScoreResponse("score-" + UUID.randomUUID().toString().replace("-", ""), "list",
                        System.currentTimeMillis() / 1000, model, data, new VllmUsage(0, 0, 0));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RewardAnswers.error(e));
        }
    }

    private CompletableFuture<HttpResponse<?>> score(HttpRequest<?> request, CompatRequests.Pairs pairs,
                                                     java.util.function.Function<Scores, Object> answer) {
        CompletableFuture<Scores> scores = batcher.submit(ScoreMode.WARM, Origin.HTTP, pairs.prompts(), pairs.responses(), deadline);
        ClientGone.cancelOnClose(request, scores);
        return scores.<HttpResponse<?>>thenApply(s -> RewardAnswers.ok(answer.apply(s), s.version()))
                .exceptionally(RewardAnswers::error);
    }
}
