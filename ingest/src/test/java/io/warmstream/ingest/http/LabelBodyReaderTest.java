package io.warmstream.ingest.http;

import io.warmstream.ingest.RequestLimits;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.rules.LabelRules;
import io.warmstream.ingest.rules.Reason;
import io.warmstream.ingest.rules.Violation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelBodyReaderTest {

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private final LabelBodyReader reader = reader(RequestLimits.defaults());

    private static LabelBodyReader reader(RequestLimits limits) {
        return new LabelBodyReader("unknown", "http", 64, limits, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String item(String id) {
        return "{\"id\":\"" + id + "\",\"prompt\":\"p\",\"chosen\":\"good\",\"rejected\":\"bad\"}";
    }

    private static void assertViolation(LabelBodyReader.Item item, String field, Reason reason) {
        assertTrue(!item.ok(), "expected a violation, got " + item.label());
        assertEquals(field, item.violation().field(), item.violation().detail());
        assertEquals(reason, item.violation().reason(), item.violation().detail());
    }

    @Test
    void singleObjectWithEveryFieldIsReadExactly() throws Exception {
        List<LabelBodyReader.Item> items = reader.readJson(utf8("""
                {"id":"l-1","prompt":"Why?","chosen":"Because.","rejected":"No.","labeller":"ann","source":"pipe-7",
                 "confidence":0.75,"createdAt":"2024-05-01T14:00:00+02:00","metadata":{"lang":"en"}}
                """));
        assertEquals(1, items.size());
        PreferenceLabel l = items.get(0).label();
        assertEquals(new PreferenceLabel("l-1", "Why?", "Because.", "No.", "ann", "pipe-7", 0.75,
                Instant.parse("2024-05-01T12:00:00Z"), Map.of("lang", "en")), l);
    }

    @Test
    void absentOptionalFieldsGetDefaults() throws Exception {
        PreferenceLabel l = reader.readJson(utf8("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"labeller\":\"  \",\"id\":null}"))
                .get(0).label();
        assertEquals(l.getId(), UUID.fromString(l.getId()).toString());
        assertEquals("unknown", l.getLabeller());
        assertEquals("http", l.getSource());
        assertEquals(NOW, l.getCreatedAt());
        assertNull(l.getConfidence());
        assertNull(l.getMetadata());
        assertEquals(Instant.ofEpochMilli(1714564800000L),
                reader.readJson(utf8("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"createdAt\":1714564800000}")).get(0).label().getCreatedAt());
    }

    @Test
    void wrongTypesAreItemErrorsNamingTheFieldAndNeighboursAreRead() throws Exception {
        List<LabelBodyReader.Item> items = reader.readJson(utf8("[" + String.join(",",
                item("a"),
                "{\"prompt\":42,\"chosen\":\"x\",\"rejected\":\"y\"}",
                "{\"prompt\":\"p\",\"chosen\":[\"x\"],\"rejected\":\"y\"}",
                "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"confidence\":\"high\"}",
                "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"metadata\":{\"k\":1}}",
                "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"metadata\":[]}",
                "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"createdAt\":\"yesterday\"}",
                "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"createdAt\":true}",
                "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"id\":7}",
                "\"just a string\"",
                "{\"prompt\":\"p\",\"prompt\":\"q\",\"chosen\":\"x\",\"rejected\":\"y\"}",
                "{\"chosen\":\"x\",\"rejected\":\"y\"}",
                item("b")) + "]"));
        assertEquals(13, items.size());
        assertEquals("a", items.get(0).label().getId());
        assertViolation(items.get(1), "prompt", Reason.WRONG_TYPE);
        assertEquals("prompt must be a string, got a number", items.get(1).violation().detail());
        assertViolation(items.get(2), "chosen", Reason.WRONG_TYPE);
        assertViolation(items.get(3), "confidence", Reason.WRONG_TYPE);
        assertViolation(items.get(4), "metadata.k", Reason.WRONG_TYPE);
        assertViolation(items.get(5), "metadata", Reason.WRONG_TYPE);
        assertViolation(items.get(6), "createdAt", Reason.MALFORMED);
        assertViolation(items.get(7), "createdAt", Reason.WRONG_TYPE);
        assertViolation(items.get(8), "id", Reason.WRONG_TYPE);
        assertViolation(items.get(9), Violation.WHOLE_ITEM, Reason.NOT_AN_OBJECT);
        assertViolation(items.get(10), "prompt", Reason.DUPLICATE_FIELD);
        assertViolation(items.get(11), "prompt", Reason.MISSING);
        assertEquals("b", items.get(12).label().getId());
        for (int i = 0; i < items.size(); i++) assertEquals(i, items.get(i).index());
    }

    @Test
    void invalidUtf8IsAnErrorOfTheFieldThatHoldsItOnly() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("[" + item("a") + ",{\"id\":\"b\",\"prompt\":\"p\",\"chosen\":\"caf"));
        body.write(0xC3); // a lead byte without its continuation byte
        body.writeBytes(utf8("\",\"rejected\":\"r\"}," + "{\"id\":\"c\",\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"metadata\":{\"k\":\""));
        body.write(0xFF);
        body.write(0xFE);
        body.writeBytes(utf8("\"}}," + item("d") + ",{\"id\":\"e\",\"prompt\":\"ok \u00e9\u4e2d\ud83d\ude00\",\"chosen\":\"x\",\"rejected\":\"y\"}]"));
        List<LabelBodyReader.Item> items = reader.readJson(body.toByteArray());
        assertEquals(5, items.size());
        assertEquals("a", items.get(0).label().getId());
        assertViolation(items.get(1), "chosen", Reason.INVALID_UTF8);
        assertViolation(items.get(2), "metadata", Reason.INVALID_UTF8);
        assertEquals("d", items.get(3).label().getId());
        assertEquals("ok \u00e9\u4e2d\ud83d\ude00", items.get(4).label().getPrompt());
    }

    @Test
    void malformedJsonIsRefusedAsAWholeWithLineAndColumn() {
        BodyRefusedException e = assertThrows(BodyRefusedException.class,
                () -> reader.readJson(utf8("[\n" + item("a") + ",\n  {\"prompt\": \"p\" \"chosen\": \"x\"}\n]")));
        assertEquals("malformed_json", e.error());
        assertEquals(400, e.status());
        assertEquals(3, e.line());
        assertEquals(18, e.column());
        assertEquals("empty_body", assertThrows(BodyRefusedException.class, () -> reader.readJson(new byte[0])).error());
        assertEquals("empty_batch", assertThrows(BodyRefusedException.class, () -> reader.readJson(utf8(" [ ] "))).error());
        assertEquals("not_an_object_or_array", assertThrows(BodyRefusedException.class, () -> reader.readJson(utf8("42"))).error());
        assertEquals("malformed_json", assertThrows(BodyRefusedException.class, () -> reader.readJson(utf8(item("a") + " {}"))).error());
        assertEquals("malformed_json", assertThrows(BodyRefusedException.class, () -> reader.readJson(utf8("[" + item("a")))).error());
    }

    @Test
    void ndjsonLinesAreIndependentItems() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8(item("a") + "\r\n\n   \n{\"prompt\": broken\n"));
        body.writeBytes(utf8("{\"id\":\"u\",\"prompt\":\""));
        body.write(0xE2);
        body.write(0x28);
        body.writeBytes(utf8("\",\"chosen\":\"x\",\"rejected\":\"y\"}\n[1]\n" + item("b") + "\n" + item("c")));
        List<LabelBodyReader.Item> items = reader.readNdjson(body.toByteArray());
        assertEquals(6, items.size());
        assertEquals("a", items.get(0).label().getId());
        assertEquals(1, items.get(0).line());
        assertViolation(items.get(1), Violation.WHOLE_ITEM, Reason.MALFORMED_JSON);
        assertEquals(4, items.get(1).line());
        assertTrue(items.get(1).violation().detail().startsWith("line 4, column 18: Unrecognized token 'broken'"), items.get(1).violation().detail());
        assertViolation(items.get(2), "prompt", Reason.INVALID_UTF8);
        assertViolation(items.get(3), Violation.WHOLE_ITEM, Reason.NOT_AN_OBJECT);
        assertEquals("b", items.get(4).label().getId());
        assertEquals("c", items.get(5).label().getId());
        assertEquals(8, items.get(5).line());
        assertEquals(5, items.get(5).index());
    }

    @Test
    void loneSurrogateFromAnEscapeIsCaughtByTheRules() throws Exception {
        PreferenceLabel l = reader.readJson(utf8("{\"prompt\":\"p\",\"chosen\":\"x \\ud800 y\",\"rejected\":\"b\"}")).get(0).label();
        Violation v = LabelRules.defaults().check(l).orElseThrow();
        assertEquals("chosen", v.field());
        assertEquals(Reason.INVALID_UNICODE, v.reason());
    }

    @Test
    void anUnknownFieldRefusesItsItemOnlyNamingTheField() throws Exception {
        List<LabelBodyReader.Item> items = reader.readJson(utf8("[" + item("a") + ",\n"
                + "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"confidance\":0.9}," + item("c") + "]"));
        assertEquals(3, items.size());
        assertNull(items.get(0).violation());
        assertEquals("confidance", items.get(1).violation().field());
        assertEquals(Reason.UNKNOWN_FIELD, items.get(1).violation().reason());
        assertNull(items.get(2).violation(), "the item after it is read normally");
        List<LabelBodyReader.Item> nd = reader.readNdjson(utf8(item("a") + "\n\n{\"extra\":[1,{\"x\":2}],\"prompt\":\"p\"}\n"));
        assertEquals("extra", nd.get(1).violation().field(), "a nested value is skipped whole");
        assertEquals(Reason.UNKNOWN_FIELD, nd.get(1).violation().reason());
        assertEquals(3, nd.get(1).line());
        String longName = "k".repeat(10_000);
        Violation clipped = reader.readJson(utf8("{\"" + longName + "\":1}")).get(0).violation();
        assertTrue(clipped.field().length() < 300 && clipped.detail().length() < 600, "a field name is echoed clipped");
    }

    @Test
    void theItemAfterMaxItemsStopsTheParseAt413() {
        LabelBodyReader three = reader(new RequestLimits(3, 10, 16, 1_000_000));
        StringBuilder numbers = new StringBuilder("[");
        for (int i = 0; i < 200_000; i++) numbers.append(i == 0 ? "" : ",").append(i);
        long start = System.nanoTime();
        BodyRefusedException e = assertThrows(BodyRefusedException.class, () -> three.readJson(utf8(numbers + "]")));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused at the fourth element, not after reading them all");
        assertEquals(413, e.status());
        assertEquals("too_many_items", e.error());
        assertEquals("$", e.field());
        assertEquals(3L, e.limit());
        BodyRefusedException nd = assertThrows(BodyRefusedException.class,
                () -> three.readNdjson(utf8(item("a") + "\n" + item("b") + "\n\n" + item("c") + "\n" + item("d"))));
        assertEquals("too_many_items", nd.error());
        assertEquals(5, nd.line());
    }

    @Test
    void nestingAndTokenLimitsRefuseTheBody() throws Exception {
        LabelBodyReader small = reader(new RequestLimits(100, 10, 4, 100));
        String deep = "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":[[[[[1]]]]]}";
        BodyRefusedException tooDeep = assertThrows(BodyRefusedException.class, () -> small.readJson(utf8(deep)));
        assertEquals(422, tooDeep.status());
        assertEquals("too_deep", tooDeep.error());
        assertEquals(4L, tooDeep.limit());
        String many = "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":[" + "1,".repeat(200) + "1]}";
        BodyRefusedException tooMany = assertThrows(BodyRefusedException.class, () -> small.readJson(utf8(many)));
        assertEquals(413, tooMany.status());
        assertEquals("too_many_tokens", tooMany.error());
        assertEquals(2, small.readJson(utf8("[" + item("a") + "," + item("b") + "]")).size(), "within the limits");
    }

    @Test
    void metadataPastItsEntryLimitIsCountedNotBuilt() throws Exception {
        StringBuilder meta = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) meta.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        List<LabelBodyReader.Item> items = reader.readJson(utf8("[{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\","
                + "\"metadata\":" + meta + "}}," + item("b") + "]"));
        assertViolation(items.get(0), "metadata", Reason.TOO_MANY_ENTRIES);
        assertEquals("b", items.get(1).label().getId());
    }

    @Test
    void createdAtIsBoundedByTheRulesClock() throws Exception {
        LabelRules rules = new LabelRules(io.warmstream.ingest.rules.LabelLimits.defaults(), java.time.Duration.ofMinutes(5),
                Clock.fixed(NOW, ZoneOffset.UTC));
        String base = "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"createdAt\":";
        for (String far : List.of("\"+300000000-01-01T00:00:00Z\"", "\"2025-01-02T03:09:06Z\"", "9223372036854775807",
                "\"1969-12-31T23:59:59Z\"")) {
            PreferenceLabel l = reader.readJson(utf8(base + far + "}")).get(0).label();
            Violation v = rules.check(l).orElseThrow(() -> new AssertionError("accepted createdAt " + far));
            assertEquals("createdAt", v.field());
            assertEquals(Reason.OUT_OF_RANGE, v.reason());
        }
        PreferenceLabel skewed = reader.readJson(utf8(base + "\"2025-01-02T03:09:04Z\"}")).get(0).label();
        assertTrue(rules.check(skewed).isEmpty(), "4 min 59 s ahead is within the allowed skew");
    }
}
