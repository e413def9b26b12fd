package io.warmstream.ingest.http;

import io.warmstream.ingest.RequestLimits;
import io.warmstream.platform.json.JsonTokens;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.rules.Reason;
import io.warmstream.ingest.rules.Violation;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request body (one JSON object, a JSON array of objects, or NDJSON) into labels, one {@link Item} per
 * element. Problems confined to one element (wrong types, invalid UTF-8 inside it, a broken NDJSON line) become
 * that element's violation; a JSON body that cannot be parsed at all, an unknown field, or a broken
 * {@link RequestLimits request limit} refuses the body as a whole ({@link BodyRefusedException}).
 * <p>
 * Limits are checked while parsing: the element after {@code maxItems} stops the parse at once (so a body of
 * millions of numbers costs a few milliseconds, not minutes), and Jackson's stream constraints bound nesting depth
 * and tokens. Streaming parsing (no tree, no data binding) keeps the per-label cost low.
 */
public final class LabelBodyReader {

    /** One element of the body: a label ready for the rules, or the reason it could not be read. */
    public record Item(int index, int line, PreferenceLabel label, Violation violation) {
        public boolean ok() {
            return violation == null;
        }
    }

    private final JsonFactory json;
    private final RequestLimits limits;
    private final LabelFieldReader fields;

    public LabelBodyReader(String defaultLabeller, String defaultSource, int maxMetadataEntries, RequestLimits limits,
                           Clock clock) {
        this.limits = limits;
        this.json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth()).maxTokenCount(limits.maxTokens()).build()).build();
        this.fields = new LabelFieldReader(defaultLabeller, defaultSource, maxMetadataEntries, clock);
    }

    /** Reads a JSON body: one object, or an array whose elements are items. */
    public List<Item> readJson(byte[] body) throws BodyRefusedException {
        Utf8Repair.Result text = Utf8Repair.repair(body, 0, body.length);
        List<Item> items = new ArrayList<>();
        try (JsonParser p = json.createParser(text.bytes(), text.offset(), text.length())) {
            JsonToken first = p.nextToken();
            if (first == null) throw BodyRefusedException.malformed("empty_body", "the request body is empty", -1, -1);
            if (first == JsonToken.START_OBJECT) {
                items.add(fields.readItem(p, 0, 0, text));
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw BodyRefusedException.malformed("malformed_json", "unexpected end of input inside the array", -1, -1);
                    int index = items.size();
                    if (index == limits.maxItems()) throw tooManyItems(p.currentTokenLocation());
                    if (t == JsonToken.START_OBJECT) {
                        items.add(fields.readItem(p, index, 0, text));
                    } else {
                        p.skipChildren();
                        items.add(notAnObject(index, 0, t));
                    }
                }
            } else {
                JsonLocation at = p.currentTokenLocation();
                throw BodyRefusedException.malformed("not_an_object_or_array",
                        "the body must be a JSON object or an array of objects", at.getLineNr(), at.getColumnNr());
            }
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw BodyRefusedException.malformed("malformed_json", "unexpected content after the JSON value",
                        at.getLineNr(), at.getColumnNr());
            }
        } catch (StreamConstraintsException e) {
            throw constraintBroken(e, -1);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw BodyRefusedException.malformed("malformed_json", e.getOriginalMessage(),
                    at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr());
        } catch (IOException e) {
            throw BodyRefusedException.malformed("malformed_json", e.getMessage(), -1, -1);
        }
        if (items.isEmpty()) throw BodyRefusedException.malformed("empty_batch", "the array holds no labels", 1, 1);
        return items;
    }

    /** Reads NDJSON: one JSON object per line; blank lines are skipped and do not count as items. */
    public List<Item> readNdjson(byte[] body) throws BodyRefusedException {
        List<Item> items = new ArrayList<>();
        int line = 0;
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') end++;
            line++;
            int stop = end;
            if (stop > start && body[stop - 1] == '\r') stop--;
            if (!isBlank(body, start, stop)) {
                if (items.size() == limits.maxItems()) throw tooManyItems(line);
                items.add(readLine(body, start, stop - start, items.size(), line));
            }
            start = end + 1;
        }
        if (items.isEmpty()) throw BodyRefusedException.malformed("empty_body", "the request body holds no NDJSON lines", -1, -1);
        return items;
    }

    private Item readLine(byte[] body, int off, int len, int index, int line) throws BodyRefusedException {
        Utf8Repair.Result text = Utf8Repair.repair(body, off, len);
        try (JsonParser p = json.createParser(text.bytes(), text.offset(), text.length())) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                return notAnObject(index, line, t);
            }
            Item item = fields.readItem(p, index, line, text);
            if (p.nextToken() != null) {
                return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.MALFORMED_JSON,
                        "line " + line + ": unexpected content after the JSON object"));
            }
            return item;
        } catch (StreamConstraintsException e) {
            throw constraintBroken(e, line);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "line " + line : "line " + line + ", column " + at.getColumnNr();
            return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.MALFORMED_JSON,
                    where + ": " + ErrorReply.clip(e.getOriginalMessage())));
        } catch (IOException e) {
            return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.MALFORMED_JSON,
                    "line " + line + ": " + ErrorReply.clip(e.getMessage())));
        }
    }

    private BodyRefusedException tooManyItems(JsonLocation at) {
        return tooManyItems(at.getLineNr(), at.getColumnNr());
    }

    private BodyRefusedException tooManyItems(int line) {
        return tooManyItems(line, -1);
    }

    private BodyRefusedException tooManyItems(long line, long column) {
        return BodyRefusedException.limit(413, "too_many_items", "more than " + limits.maxItems()
                + " labels in one request (warm.ingest.limits.max-items); send smaller batches", "$", limits.maxItems(), line, column);
    }

    /** Too deep is the shape's fault (422); too many tokens is the size's (413, send less). */
    private BodyRefusedException constraintBroken(StreamConstraintsException e, int ndjsonLine) {
        JsonLocation at = e.getLocation();
        long line = ndjsonLine > 0 ? ndjsonLine : at == null ? -1 : at.getLineNr();
        long column = at == null ? -1 : at.getColumnNr();
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return BodyRefusedException.limit(422, "too_deep", "JSON nested deeper than " + limits.maxDepth()
                    + " levels (warm.ingest.limits.max-depth); a label needs 3", "$", limits.maxDepth(), line, column);
        }
        return BodyRefusedException.limit(413, "too_many_tokens", "more than " + limits.maxTokens() + " JSON tokens "
                + (ndjsonLine > 0 ? "on one line" : "in the body") + " (warm.ingest.limits.max-tokens); send smaller batches",
                "$", limits.maxTokens(), line, column);
    }

    static Item notAnObject(int index, int line, JsonToken t) {
        return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.NOT_AN_OBJECT,
                "each label must be a JSON object, got " + JsonTokens.describe(t)));
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') return false;
        }
        return true;
    }
}
