package io.warmstream.scorer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the request bodies of other projects' reward and score APIs into (prompt, response) items, with the same
 * limits and field-naming 400s as our own API:
 * <ul>
 *   <li>OpenRLHF's remote reward model: {@code {"query": [..], "prompts": [..], "labels": [..]}}. Each query is the
 *   whole rollout text (prompt and response, chat template applied). With {@code prompts} the response is what
 *   follows its prompt in the query; without, the query is split at the last occurrence of
 *   {@code warm.scorer.compat.query-separator}. {@code labels} (ground truth for rule-based rewards) are accepted
 *   and not used by a reward model.</li>
 *   <li>vLLM's {@code /score}: {@code {"model": .., "text_1": str|[..], "text_2": str|[..]}}: text_1 is the prompt,
 *   text_2 the response; one text_1 goes with every text_2, otherwise the lists pair up.</li>
 * </ul>
 */
final class CompatRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxItems;
    private final int maxChars;
    private final String separator;

    CompatRequests(int maxItems, int maxChars, String separator) {
        this.maxItems = maxItems;
        this.maxChars = maxChars;
        this.separator = separator;
    }

    record Pairs(List<String> prompts, List<String> responses, String model) {
    }

    Pairs openRlhf(byte[] body) {
        JsonNode root = object(body, Set.of("query", "prompts", "labels"));
        List<String> queries = strings(root.get("query"), "query", true);
        List<String> prompts = root.has("prompts") && !root.get("prompts").isNull() ? strings(root.get("prompts"), "prompts", true) : null;
        if (prompts != null && prompts.size() != queries.size()) {
            throw bad("wrong_length", "prompts", "prompts has " + prompts.size() + " entries for " + queries.size() + " queries");
        }
        List<String> ps = new ArrayList<>(queries.size());
        List<String> rs = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            String q = queries.get(i);
            String at = "query[" + i + "]";
            if (prompts != null) {
                if (!q.startsWith(prompts.get(i))) {
                    throw bad("no_split", at, at + " does not start with prompts[" + i + "]: cannot tell the response from the prompt");
                }
                ps.add(prompts.get(i));
                rs.add(q.substring(prompts.get(i).length()));
            } else {
                int cut = separator.isEmpty() ? -1 : q.lastIndexOf(separator);
                if (cut < 0) {
                    throw bad("no_split", at, at + (separator.isEmpty()
                            ? " cannot be split into prompt and response: send \"prompts\" or set warm.scorer.compat.query-separator"
                            : " does not contain the separator set in warm.scorer.compat.query-separator"));
                }
                ps.add(q.substring(0, cut + separator.length()));
                rs.add(q.substring(cut + separator.length()));
            }
            checkLength(ps.get(i), at + " (prompt part)");
            checkLength(rs.get(i), at + " (response part)");
        }
        return new Pairs(ps, rs, null);
    }

    Pairs vllmScore(byte[] body) {
        JsonNode root = object(body, Set.of("model", "text_1", "text_2"));
        String model = null;
        if (root.has("model") && !root.get("model").isNull()) {
            if (!root.get("model").isTextual()) {
                throw bad("wrong_type", "model", "model must be a string");
            }
            model = root.get("model").asText();
        }
        List<String> one = oneOrMany(root.get("text_1"), "text_1");
        List<String> two = oneOrMany(root.get("text_2"), "text_2");
        if (one.size() == 1 && two.size() > 1) {
            one = java.util.Collections.nCopies(two.size(), one.get(0));
        }
        if (one.size() != two.size()) {
            throw bad("wrong_length", "text_2", "text_1 has " + one.size() + " texts and text_2 " + two.size()
                    + ": send one text_1 for all, or as many as text_2");
        }
        return new Pairs(List.copyOf(one), List.copyOf(two), model);
    }

    private List<String> oneOrMany(JsonNode n, String field) {
        if (n != null && n.isTextual()) {
            checkLength(n.asText(), field);
            return List.of(n.asText());
        }
        return strings(n, field, true);
    }

    private List<String> strings(JsonNode n, String field, boolean required) {
        if (n == null || n.isNull()) {
            throw bad("missing_field", field, "the body has no \"" + field + "\"");
        }
        if (!n.isArray()) {
            throw bad("wrong_type", field, field + " must be an array of strings");
        }
        if (n.isEmpty()) {
            throw bad("empty_batch", field, field + " is empty");
        }
        if (n.size() > maxItems) {
            throw new BadRequestException(new ApiError("too_many_items", "more than " + maxItems
                    + " items in one request (warm.scorer.limits.max-items); split the batch", field, (long) maxItems, null, null), 413);
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode x = n.get(i);
            String at = field + "[" + i + "]";
            if (!x.isTextual()) {
                throw bad("wrong_type", at, at + " must be a string");
            }
            checkLength(x.asText(), at);
            out.add(x.asText());
        }
        return out;
    }

    private void checkLength(String s, String field) {
        if (s.length() > maxChars && s.codePointCount(0, s.length()) > maxChars) {
            throw new BadRequestException(new ApiError("text_too_long", field + " has more than the limit of " + maxChars
                    + " characters", field, (long) maxChars, null, null));
        }
    }

    private static JsonNode object(byte[] body, Set<String> known) {
        if (body == null || body.length == 0) {
            throw new BadRequestException(ApiError.of("empty_body", "the request body is empty: send a JSON object"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException(ApiError.of("malformed_json", "the body is not valid JSON: " + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new BadRequestException(ApiError.of("malformed_json", "the body is not readable JSON: " + e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestException(ApiError.of("wrong_type", "the body must be a JSON object"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!known.contains(name)) {
                throw bad("unknown_field", name, "unknown field " + name + " (fields: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return root;
    }

    private static BadRequestException bad(String code, String field, String message) {
        return new BadRequestException(ApiError.field(code, field, message));
    }
}
