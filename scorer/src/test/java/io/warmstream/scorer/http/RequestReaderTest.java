package io.warmstream.scorer.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestReaderTest {

    private final RequestReader reader = new RequestReader(3, 10);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ApiError itemsError(String body) {
        return assertThrows(BadRequestException.class, () -> reader.readItems(b(body))).error();
    }

    @Test
    void readsItemsInOrder() {
        RequestReader.Items items = reader.readItems(b("{\"items\":[{\"prompt\":\"p1\",\"response\":\"r1\"},"
                + "{\"response\":\"r2\",\"prompt\":\"p2\"}]}"));
        assertEquals(List.of("p1", "p2"), items.prompts());
        assertEquals(List.of("r1", "r2"), items.responses());
    }

    @Test
    void versionModeAndTheOtherOptionsAreFieldsNotUnknownOnes() {
        RequestReader.Items items = reader.readItems(b("{\"version\":4,\"mode\":\"ens\",\"normalize\":true,"
                + "\"uncertainty\":false,\"lambda\":0.5,\"items\":[{\"prompt\":\"p\",\"response\":\"r\"}]}"));
        assertEquals(new ScoringOptions(4L, io.warmstream.scorer.serving.ScoreMode.ENS, true, false, 0.5), items.options());
        assertNull(reader.readItems(b("{\"version\":\"latest\",\"items\":[{\"prompt\":\"p\",\"response\":\"r\"}]}"))
                .options().version());
        RequestReader.Comparison c = reader.readComparison(b("{\"prompt\":\"q\",\"a\":\"x\",\"b\":\"y\",\"version\":2}"));
        assertEquals(2L, c.options().version());
        assertField(itemsError("{\"version\":1.5,\"items\":[]}"), "bad_value", "version");
        assertField(itemsError("{\"mode\":1,\"items\":[]}"), "wrong_type", "mode");
    }

    @Test
    void unknownFieldsAreRefusedNamingTheirPath() {
        assertField(itemsError("{\"model\":{\"x\":[1]},\"items\":[{\"prompt\":\"p\",\"response\":\"r\"}]}"), "unknown_field", "model");
        assertField(itemsError("{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"},{\"prompt\":\"p\",\"response\":\"r\",\"id\":7}]}"),
                "unknown_field", "items[1].id");
        BadRequestException c = assertThrows(BadRequestException.class,
                () -> reader.readComparison(b("{\"prompt\":\"q\",\"a\":\"x\",\"b\":\"y\",\"c\":\"z\"}")));
        assertField(c.error(), "unknown_field", "c");
        assertEquals(400, c.status());
    }

    @Test
    void namesTheFieldOfEachProblem() {
        assertField(itemsError("{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"},{\"prompt\":\"p\"}]}"), "missing_field", "items[1].response");
        assertField(itemsError("{\"items\":[{\"prompt\":3,\"response\":\"r\"}]}"), "wrong_type", "items[0].prompt");
        assertField(itemsError("{\"items\":[\"x\"]}"), "wrong_type", "items[0]");
        assertField(itemsError("{\"items\":{}}"), "wrong_type", "items");
        assertField(itemsError("{}"), "missing_field", "items");
        assertField(itemsError("{\"items\":[]}"), "empty_batch", "items");
        ApiError many = itemsError("{\"items\":[" + "{\"prompt\":\"p\",\"response\":\"r\"},".repeat(3) + "{\"prompt\":\"p\",\"response\":\"r\"}]}");
        assertField(many, "too_many_items", "items");
        assertEquals(3L, many.limit());
        assertEquals(413, assertThrows(BadRequestException.class, () -> reader.readItems(b("{\"items\":["
                + "{\"prompt\":\"p\",\"response\":\"r\"},".repeat(3) + "{\"prompt\":\"p\",\"response\":\"r\"}]}"))).status());
        ApiError tooLong = itemsError("{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"},{\"prompt\":\"p\",\"response\":\"12345678901\"}]}");
        assertField(tooLong, "text_too_long", "items[1].response");
        assertEquals(10L, tooLong.limit());
        // Characters are code points: ten emoji are twenty UTF-16 chars but within the limit.
        reader.readItems(b("{\"items\":[{\"prompt\":\"" + "\uD83D\uDE00".repeat(10) + "\",\"response\":\"r\"}]}"));
    }

    @Test
    void malformedBodiesAreReportedWithTheirPosition() {
        ApiError e = itemsError("{\"items\":[{\"prompt\":\"p\",\n\"response\" \"r\"}]}");
        assertEquals("malformed_json", e.error());
        assertEquals(2L, e.line());
        assertEquals("malformed_json", itemsError("{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"}]} trailing").error());
        assertEquals("malformed_json", itemsError("{\"items\":[{\"prompt\":\"p\",\"prompt\":\"q\",\"response\":\"r\"}]}").error());
        assertEquals("empty_body", assertThrows(BadRequestException.class, () -> reader.readItems(new byte[0])).error().error());
        ApiError array = itemsError("[1,2]");
        assertEquals("wrong_type", array.error());
        assertNull(array.field());
    }

    @Test
    void comparisonNeedsPromptAAndB() {
        RequestReader.Comparison c = reader.readComparison(b("{\"b\":\"no\",\"prompt\":\"q\",\"a\":\"yes\"}"));
        assertEquals(new RequestReader.Comparison("q", "yes", "no"), c);
        assertField(assertThrows(BadRequestException.class, () -> reader.readComparison(b("{\"prompt\":\"q\",\"a\":\"yes\"}"))).error(),
                "missing_field", "b");
        assertField(assertThrows(BadRequestException.class, () -> reader.readComparison(b("{\"prompt\":\"q\",\"a\":null,\"b\":\"x\"}"))).error(),
                "wrong_type", "a");
    }

    private static void assertField(ApiError e, String code, String field) {
        assertEquals(code, e.error(), e.toString());
        assertEquals(field, e.field(), e.toString());
    }
}
