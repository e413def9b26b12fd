package io.warmstream.local.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChildJvmTest {

    @Test
    void readsTheLastObjectPrintedIndentedOrOnOneLine() throws IOException {
        String indented = "12:00 WARN something {not json}\n{\n  \"a\" : 1,\n  \"b\" : {\n    \"c\" : 2\n  }\n}\n";
        assertEquals(Map.of("a", 1, "b", Map.of("c", 2)), ChildJvm.lastJsonObject(indented, "x"));
        assertEquals(Map.of("cores", 2), ChildJvm.lastJsonObject("{\"cores\":2}", "x"));
        assertEquals(Map.of("z", 3), ChildJvm.lastJsonObject("log\n{\"y\":1}\n{\"z\":3}\n", "x"));
        assertThrows(IOException.class, () -> ChildJvm.lastJsonObject("only logs\n", "x"));
    }
}
