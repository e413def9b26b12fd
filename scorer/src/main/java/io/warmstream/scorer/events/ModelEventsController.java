package io.warmstream.scorer.events;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.http.ApiError;
import io.warmstream.scorer.http.ErrorResponses;
import io.warmstream.security.Roles;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/models/events}: warm.models as server-sent events, for RL services without a Kafka client. Each
 * event's id is the record's offset, its name {@code published}, {@code withheld} or {@code deleted}, its data the
 * record as JSON. A client that reconnects with {@code Last-Event-ID} (or {@code ?after=}) gets what it missed; when
 * the scorer no longer holds all of that, a {@code gap} event comes first so the client knows to re-read
 * {@code GET /v1/models}.
 */
@Controller("/v1/models")
@Secured(Roles.READER)
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ModelEventsController {

    private final ModelEventLog log;
    private final ModelEventsSettings settings;
    private final AtomicInteger open = new AtomicInteger();

    public ModelEventsController(ModelEventLog log, ModelEventsSettings settings) {
        this.log = log;
        this.settings = settings;
    }

    @Get(uri = "/events", produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    @Operation(summary = "Model updates as server-sent events, resumable with Last-Event-ID")
    @ApiResponse(responseCode = "200", description = "the event stream")
    @ApiResponse(responseCode = "400", description = "Last-Event-ID or after is not an offset")
    @ApiResponse(responseCode = "429", description = "too many open streams; retry after the Retry-After seconds")
    public HttpResponse<?> events(
            @Parameter(description = "the id of the last event received") @Nullable @Header("Last-Event-ID") String lastEventId,
            @Parameter(description = "same as Last-Event-ID, for clients that cannot set headers") @Nullable @QueryValue String after) {
        long from;
        try {
            from = resumePoint(lastEventId, "Last-Event-ID");
            if (after != null) {
                from = Math.max(from, resumePoint(after, "after"));
            }
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("after") ? "after" : "Last-Event-ID";
            return ErrorResponses.badParameter(field, e.getMessage()).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        if (open.incrementAndGet() > settings.getMaxSubscribers()) {
            open.decrementAndGet();
            return HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "5")
                    .body(ApiError.of("too_many_streams", settings.getMaxSubscribers() + " event streams are open already"
                            + " (warm.scorer.events.max-subscribers)")).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        return HttpResponse.ok(stream(from)).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
    }

    private Flux<Event<String>> stream(long after) {
        Flux<Event<String>> records = Flux.<Event<String>>create(sink -> {
            ModelEventLog.Subscription s = log.subscribe(after, e -> sink.next(event(e)));
            if (s.gap()) {
                sink.next(Event.of("{\"after\":" + after + "}").name("gap"));
            }
            s.backlog().forEach(e -> sink.next(event(e)));
            sink.onDispose(s.cancel()::run);
        }, FluxSink.OverflowStrategy.BUFFER)
                .onBackpressureBuffer(settings.getMaxPending(), dropped -> { }, BufferOverflowStrategy.ERROR);
        Flux<Event<String>> heartbeats = Flux.interval(settings.getHeartbeat())
                .map(i -> Event.of("").name("heartbeat").comment("keep-alive"));
        return Flux.merge(records, heartbeats).doFinally(signal -> open.decrementAndGet());
    }

    private static Event<String> event(ModelEventLog.Entry e) {
        return Event.of(e.json()).id(Long.toString(e.id())).name(e.type());
    }

    private static long resumePoint(String text, String field) {
        if (text == null || text.isBlank()) {
            return -1;
        }
        try {
            long id = Long.parseLong(text.trim());
            if (id < -1) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be the id (offset) of an event, got \"" + text + "\"");
        }
    }
}
