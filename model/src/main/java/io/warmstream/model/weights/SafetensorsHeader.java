package io.warmstream.model.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file: parsing with every check the reference implementation makes, and encoding.
 *
 * <p>Layout: 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON (an object starting with '{',
 * possibly padded with trailing spaces), then the data section. Each tensor entry holds exactly "dtype", "shape"
 * and "data_offsets" [begin, end) relative to the data section; the optional "__metadata__" maps strings to
 * strings. The byte ranges, sorted, must tile the data section exactly: no gap, no overlap, nothing after.
 */
final class SafetensorsHeader {

    /** Same limit as the reference implementation: it bounds what a hostile file can make us allocate. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafetensorsHeader() {
    }

    record Parsed(List<TensorInfo> tensors, Map<String, String> metadata) {
    }

    /**
     * Parses and validates a header.
     *
     * @param json       the N header bytes
     * @param dataLength bytes after the header in the file
     * @param where      prefix for error messages (the file)
     */
    static Parsed parse(byte[] json, long dataLength, String where) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(where + ": header is not valid UTF-8");
        }
        if (!text.startsWith("{")) {
            throw new ModelFormatException(where + ": header does not start with '{' (not a safetensors file?)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(where + ": header is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ModelFormatException(where + ": header is not a JSON object");
        }

        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (METADATA_KEY.equals(field.getKey())) {
                metadata = parseMetadata(field.getValue(), where);
            } else {
                tensors.add(parseTensor(field.getKey(), field.getValue(), where));
            }
        }
        return new Parsed(checkLayout(tensors, dataLength, where), metadata);
    }

    private static Map<String, String> parseMetadata(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new ModelFormatException(where + ": __metadata__ must be an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(where + ": __metadata__." + e.getKey() + " must be a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorInfo parseTensor(String name, JsonNode node, String where) {
        String at = where + ": tensor " + name + ": ";
        if (!node.isObject()) {
            throw new ModelFormatException(at + "entry must be an object");
        }
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        if (!keys.equals(Set.of("dtype", "shape", "data_offsets"))) {
            throw new ModelFormatException(at + "entry must hold exactly dtype, shape and data_offsets, found " + keys);
        }
        JsonNode dtypeNode = node.get("dtype");
        DType dtype = dtypeNode.isTextual() ? DType.fromHeader(dtypeNode.textValue()) : null;
        if (dtype == null) {
            throw new ModelFormatException(at + "unknown dtype " + dtypeNode);
        }
        long[] shape = nonNegativeLongs(node.get("shape"), at + "shape");
        long[] offsets = nonNegativeLongs(node.get("data_offsets"), at + "data_offsets");
        if (offsets.length != 2) {
            throw new ModelFormatException(at + "data_offsets must hold two numbers, found " + offsets.length);
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] nonNegativeLongs(JsonNode node, String what) {
        if (!(node instanceof ArrayNode array)) {
            throw new ModelFormatException(what + " must be an array of non-negative integers");
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new ModelFormatException(what + " must be an array of non-negative integers, found " + array);
            }
            values[i] = v.longValue();
        }
        return values;
    }

    /** Checks sizes against dtype and shape, and that the sorted ranges tile [0, dataLength) exactly. */
    private static List<TensorInfo> checkLayout(List<TensorInfo> tensors, long dataLength, String where) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        String previous = null;
        for (TensorInfo t : sorted) {
            String at = where + ": tensor " + t.name() + ": ";
            if (t.end() < t.begin()) {
                throw new ModelFormatException(at + "data_offsets [" + t.begin() + "," + t.end() + "] end before begin");
            }
            if (t.end() > dataLength) {
                throw new ModelFormatException(at + "data_offsets [" + t.begin() + "," + t.end()
                        + "] out of range: the data section holds only " + dataLength + " bytes (file truncated?)");
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(TensorInfo.elementCount(t.name(), t.shape()), t.dtype().byteSize());
            } catch (ArithmeticException e) {
                throw new ModelFormatException(at + "shape " + t.shapeText() + " overflows");
            }
            if (bytes != t.byteLength()) {
                throw new ModelFormatException(at + "data_offsets [" + t.begin() + "," + t.end() + "] span "
                        + t.byteLength() + " bytes but " + t.dtype() + " " + t.shapeText() + " needs " + bytes);
            }
            if (t.begin() < expected) {
                throw new ModelFormatException(at + "data_offsets [" + t.begin() + "," + t.end()
                        + "] overlap tensor " + previous + " ending at " + expected);
            }
            if (t.begin() > expected) {
                throw new ModelFormatException(at + "data_offsets [" + t.begin() + "," + t.end()
                        + "] leave a gap after byte " + expected);
            }
            expected = t.end();
            previous = t.name();
        }
        if (expected != dataLength) {
            throw new ModelFormatException(where + ": " + (dataLength - expected)
                    + " bytes after the last tensor (file has trailing data or was altered)");
        }
        return List.copyOf(sorted);
    }

    /**
     * Encodes a header for F32 tensors laid out contiguously in the given order, padded with spaces so that the
     * data section starts at a multiple of 8 bytes (as the reference writer does).
     */
    static byte[] encode(List<TensorSpec> specs, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (TensorSpec spec : specs) {
            if (METADATA_KEY.equals(spec.name())) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY);
            }
            if (root.has(spec.name())) {
                throw new IllegalArgumentException("tensor " + spec.name() + " declared twice");
            }
            long end = offset + Math.multiplyExact(spec.elementCount(), (long) DType.F32.byteSize());
            ObjectNode entry = root.putObject(spec.name());
            entry.put("dtype", DType.F32.name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : spec.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode safetensors header", e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }
}
