package io.warmstream.local.bench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/** Small statistics, process measurements and JSON output for the benchmark. */
final class BenchStats {

    private BenchStats() {
    }

    /** CPU time of this whole process: the broker runs in it too, so this is the full cost of a label here. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The 1-minute load average: other work on the machine skews every figure, so it is reported with them. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(d -> d).sorted().toArray();
        return a.length == 0 ? 0 : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static List<Double> rounded(List<Double> v) {
        return v.stream().map(BenchStats::round).toList();
    }

    static List<Double> rounded3(List<Double> v) {
        return v.stream().map(BenchStats::round3).toList();
    }

    static String toJson(Map<String, Object> map) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            write(g, map);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) write(g, o);
            g.writeEndArray();
        } else if (v instanceof Number num) {
            if (num instanceof Double || num instanceof Float) g.writeNumber(num.doubleValue());
            else g.writeNumber(num.longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(String.valueOf(v));
        }
    }

}
