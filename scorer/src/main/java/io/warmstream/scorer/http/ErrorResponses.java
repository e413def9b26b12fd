package io.warmstream.scorer.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.warmstream.scorer.batching.DeadlineExceededException;
import io.warmstream.scorer.batching.EnsembleUnavailableException;
import io.warmstream.scorer.batching.QueueFullException;
import io.warmstream.scorer.batching.RequestTooExpensiveException;
import io.warmstream.scorer.serving.NoModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what can go wrong while scoring into JSON error answers with the documented status codes. */
public final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static HttpResponse<ApiError> of(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof BadRequestException b) {
            return HttpResponse.<ApiError>status(HttpStatus.valueOf(b.status())).body(b.error());
        }
        if (e instanceof QueueFullException q) {
            return HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS)
                    .header("Retry-After", "1")
                    .body(new ApiError("queue_full", q.getMessage(), null, (long) q.budget(), null, null, q.cost()));
        }
        if (e instanceof RequestTooExpensiveException x) { // retrying the same request cannot help: no Retry-After
            return HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(new ApiError("request_too_expensive", x.getMessage(), "items", (long) x.budget(), null, null, x.cost()));
        }
        if (e instanceof DeadlineExceededException d) {
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header("Retry-After", "1")
                    .body(new ApiError("deadline_exceeded", d.getMessage(), null, d.deadline().toMillis(), null, null, null));
        }
        if (e instanceof NoModelException) {
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header("Retry-After", "5")
                    .body(ApiError.of("no_model", e.getMessage()));
        }
        if (e instanceof EnsembleUnavailableException u) {
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ApiError("ensemble_unavailable", u.getMessage(), "mode", null, null, null));
        }
        LOG.warn("scoring failed", e);
        return HttpResponse.<ApiError>status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(ApiError.of("scoring_failed", "the model failed on this batch: " + e));
    }

    public static io.micronaut.http.MutableHttpResponse<ApiError> badParameter(String field, String message) {
        return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(ApiError.field("bad_parameter", field, message));
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
