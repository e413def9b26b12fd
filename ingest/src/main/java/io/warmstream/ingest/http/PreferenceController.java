package io.warmstream.ingest.http;

import io.warmstream.ingest.RequestLimits;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.IngestConfig;
import io.warmstream.ingest.IngestMetrics;
import io.warmstream.ingest.kafka.LabelProducer;
import io.warmstream.ingest.rules.LabelRules;
import io.warmstream.ingest.rules.Violation;
import io.warmstream.security.Roles;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/preferences}: one label (JSON object) or a batch (JSON array, or NDJSON with
 * {@code Content-Type: application/x-ndjson}). Each item is read, checked with the shared {@link LabelRules}, and
 * the valid ones are written to the raw topic; the answer waits for the broker's acknowledgements.
 * <ul>
 *   <li>202: at least one item accepted; {@code accepted} holds their ids, {@code rejected} the refused items
 *       (the first {@code listed-rejections} of them; {@code rejectedByReason} counts them all).</li>
 *   <li>422: every item refused (same body, {@code accepted} empty); or JSON nested too deeply.</li>
 *   <li>400: the body as a whole is unreadable (malformed JSON, with line and column).</li>
 *   <li>413: the body is larger than {@code micronaut.server.max-request-size}, or holds more than
 *       {@code max-items} labels or {@code max-tokens} JSON tokens.</li>
 *   <li>503: Kafka did not acknowledge some valid items ({@code notWritten}); resending them is safe because the
 *       validation topology drops repeated ids.</li>
 * </ul>
 * Needs the {@code labeller} role; each label is recorded under the caller's name ({@link CallerLabeller}).
 * Runs on the event loop: parsing is bounded CPU work (the request limits stop it early) and the Kafka write is
 * asynchronous.
 */
@Controller("/v1/preferences")
@Secured(Roles.LABELLER)
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class PreferenceController {

    public static final String NDJSON = "application/x-ndjson";
    private static final String JSONL = "application/jsonl";

    private final LabelBodyReader reader;
    private final LabelRules rules;
    private final RequestLimits limits;
    private final LabelProducer producer;
    private final IngestMetrics metrics;
    private final String defaultLabeller;

    public PreferenceController(IngestConfig config, LabelProducer producer, IngestMetrics metrics) {
        this.rules = config.rules();
        this.limits = config.requestLimits();
        this.reader = new LabelBodyReader(config.defaultLabeller(), config.defaultSource(),
                rules.limits().metadataEntries(), limits, Clock.systemUTC());
        this.producer = producer;
        this.metrics = metrics;
        this.defaultLabeller = config.defaultLabeller();
    }

    @Post(consumes = {MediaType.APPLICATION_JSON, NDJSON, JSONL}, produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> ingest(HttpRequest<?> request, @Nullable @Body byte[] body) {
        if (body == null) body = new byte[0]; // an empty body gets our 400 (empty_body), not Micronaut's binding error
        List<LabelBodyReader.Item> items;
        try {
            items = isNdjson(request) ? reader.readNdjson(body) : reader.readJson(body);
        } catch (BodyRefusedException e) {
            metrics.httpRefused(e.error());
            return CompletableFuture.completedFuture(HttpResponse.status(HttpStatus.valueOf(e.status())).body(ErrorReply.of(e)));
        }

        List<PreferenceLabel> labels = new ArrayList<>(items.size());
        List<Integer> labelIndex = new ArrayList<>(items.size());
        Rejections rejected = new Rejections(limits.listedRejections());
        CallerLabeller labeller = CallerLabeller.of(request);
        for (LabelBodyReader.Item item : items) {
            if (item.ok()) labeller.stamp(item.label(), defaultLabeller);
            Violation v = item.ok() ? rules.check(item.label()).orElse(null) : item.violation();
            if (v == null) {
                labels.add(item.label());
                labelIndex.add(item.index());
            } else {
                metrics.httpRejected(v.reason());
                rejected.add(item.index(), item.line(), v);
            }
        }
        if (labels.isEmpty()) {
            return CompletableFuture.completedFuture(
                    HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(rejected.reply(List.of(), null)));
        }
        return producer.send(labels).thenApply(outcome -> reply(labels, labelIndex, rejected, outcome));
    }

    private HttpResponse<?> reply(List<PreferenceLabel> labels, List<Integer> labelIndex,
                                  Rejections rejected, Throwable[] outcome) {
        List<String> accepted = new ArrayList<>(labels.size());
        List<IngestReply.NotWritten> notWritten = null;
        for (int i = 0; i < outcome.length; i++) {
            String id = labels.get(i).getId();
            if (outcome[i] == null) {
                accepted.add(id);
            } else {
                if (notWritten == null) notWritten = new ArrayList<>();
                notWritten.add(new IngestReply.NotWritten(labelIndex.get(i), id, outcome[i].toString()));
            }
        }
        metrics.httpAccepted(accepted.size());
        if (notWritten != null) {
            metrics.httpNotWritten(notWritten.size());
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(rejected.reply(accepted, notWritten));
        }
        return HttpResponse.status(HttpStatus.ACCEPTED).body(rejected.reply(accepted, null));
    }

    private static boolean isNdjson(HttpRequest<?> request) {
        Optional<MediaType> type = request.getContentType();
        if (type.isEmpty()) return false;
        String name = type.get().getName();
        return NDJSON.equalsIgnoreCase(name) || JSONL.equalsIgnoreCase(name);
    }
}
