package io.warmstream.platform.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTokensTest {

    @Test
    void namesWhatAParserFound() throws IOException {
        List<String> seen = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser("[{\"a\":1},[],\"s\",2.5,true,null]")) {
            for (var t = p.nextToken(); t != null; t = p.nextToken()) {
                seen.add(JsonTokens.describe(t));
            }
            seen.add(JsonTokens.describe(p.nextToken()));
        }
        assertEquals(List.of("an array", "an object", "a field name", "a number", "}", "an array", "]", "a string", "a number",
                "a boolean", "null", "]", "nothing"), seen);
    }
}
