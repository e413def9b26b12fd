package io.warmstream.scorer.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.warmstream.scorer.batching.EnsembleUnavailableException;
import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.RewardScale;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.scorer.serving.VersionNotLoadedException;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.LongFunction;

/**
 * Turns a request's {@link ScoringOptions} into what to score (mode, pinned version) and the scores into the answer:
 * normalised on the version's reward scale and with the conservative reward when asked, named by the version that
 * answered (body field and the {@value #VERSION_HEADER} header).
 */
final class RewardAnswers {

    static final String VERSION_HEADER = "Warm-Model-Version";

    /** What a request asked for, checked. */
    record Plan(ScoreMode mode, Long version, boolean normalize, Double lambda) {
    }

    private final LongFunction<Optional<ModelVersion>> versions;
    private final double defaultLambda;
    private final double maxLambda;

    RewardAnswers(LongFunction<Optional<ModelVersion>> versions, double defaultLambda, double maxLambda) {
        this.versions = versions;
        this.defaultLambda = defaultLambda;
        this.maxLambda = maxLambda;
    }

    /** @param queryMode the {@code ?mode=} parameter, null when absent; the body's "mode" must agree with it */
    Plan plan(ScoringOptions o, String queryMode) {
        ScoreMode mode = o.mode();
        if (queryMode != null) {
            ScoreMode q;
            try {
                q = ScoreMode.parse(queryMode);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(ApiError.field("bad_parameter", "mode", e.getMessage()));
            }
            if (mode != null && mode != q) {
                throw bad("conflicting_field", "mode", "the body says mode " + mode.code() + ", the query ?mode=" + q.code());
            }
            mode = q;
        }
        Double lambda = null;
        if (o.wantsUncertainty()) {
            if (mode == ScoreMode.WARM) {
                throw bad("conflicting_field", "uncertainty", "uncertainty is the members' spread: it needs mode ens "
                        + "(leave mode out or send \"ens\")");
            }
            mode = ScoreMode.ENS;
            lambda = o.lambda() == null ? defaultLambda : o.lambda();
            if (!(lambda >= 0 && lambda <= maxLambda)) {
                throw new BadRequestException(new ApiError("bad_value", "lambda must be between 0 and " + maxLambda
                        + " (warm.scorer.uncertainty.max-lambda), got " + lambda, "lambda", null, null, null));
            }
        }
        return new Plan(mode == null ? ScoreMode.WARM : mode, o.version(), o.wantsNormalized(), lambda);
    }

    Replies.Rewards rewards(Scores s, Plan p) {
        Shaped x = shape(s, p);
        return new Replies.Rewards(s.average(), s.version(), s.mode().code(), x.rewards, x.std, members(s),
                p.normalize ? true : null, x.scale, p.normalize ? s.rewards() : null, p.lambda, x.conservative);
    }

    Replies.Comparison comparison(Scores s, Plan p) {
        Shaped x = shape(s, p);
        double diff = (double) s.rewards()[0] - s.rewards()[1];
        return new Replies.Comparison(s.average(), s.version(), s.mode().code(), ScoringController.sigmoid(diff),
                x.rewards, x.std, members(s), p.normalize ? true : null, x.scale, p.normalize ? s.rewards() : null,
                p.lambda, x.conservative);
    }

    /** 200 with the version header. */
    static MutableHttpResponse<?> ok(Object body, long version) {
        return HttpResponse.ok(body).header(VERSION_HEADER, Long.toString(version));
    }

    /** Error answers: a pinned version not loaded gets 410/404 listing the loaded ones; the rest as usual. */
    static HttpResponse<?> error(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof VersionNotLoadedException v) {
            return HttpResponse.status(v.gone() ? HttpStatus.GONE : HttpStatus.NOT_FOUND)
                    .body(new Replies.VersionNotLoaded(v.gone() ? "version_gone" : "version_not_loaded", v.getMessage(),
                            "version", v.requested(), v.available()));
        }
        if (e instanceof EnsembleUnavailableException u && !u.state().equals("loading")) {
            // Disabled, failed or not possible for this version: retrying will not help, so a 4xx, not 503.
            return HttpResponse.status(HttpStatus.CONFLICT)
                    .body(new ApiError("ensemble_unavailable", u.getMessage(), "mode", null, null, null));
        }
        return ErrorResponses.of(e);
    }

    private record Shaped(float[] rewards, float[] std, float[] conservative, Replies.Scale scale) {
    }

    private Shaped shape(Scores s, Plan p) {
        RewardScale scale = versions.apply(s.version()).map(ModelVersion::scale).orElse(null);
        Replies.Scale shown = Replies.Scale.of(scale);
        float[] rewards = s.rewards();
        float[] std = s.std();
        if (p.normalize) {
            if (scale == null) {
                throw new BadRequestException(ApiError.field("no_reward_scale", "normalize", "version " + s.version()
                        + " carries no reward scale (the merger measures one when warm.merger.reference-set is set); "
                        + "ask without normalize"), 409);
            }
            rewards = new float[rewards.length];
            for (int i = 0; i < rewards.length; i++) {
                rewards[i] = (float) scale.normalize(s.rewards()[i]);
            }
            if (std != null) {
                std = new float[std.length];
                for (int i = 0; i < std.length; i++) {
                    std[i] = (float) (s.std()[i] / scale.std());
                }
            }
        }
        float[] conservative = null;
        if (p.lambda != null) {
            conservative = new float[rewards.length];
            for (int i = 0; i < rewards.length; i++) {
                conservative[i] = (float) (rewards[i] - p.lambda * std[i]);
            }
        }
        return new Shaped(rewards, std, conservative, shown);
    }

    private static Integer members(Scores s) {
        return s.mode() == ScoreMode.ENS ? s.members() : null;
    }

    private static BadRequestException bad(String code, String field, String message) {
        return new BadRequestException(ApiError.field(code, field, message));
    }
}
