package io.warmstream.local.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the figures table: a measured value and, when the benchmark has one, its yardstick's value from the
 * same run. The ratio is always value / yardstick value, so it follows from the two numbers shown beside it.
 */
public record Figure(String what, Double value, String unit, String yardstickWhat, Double yardstickValue) {

    public static Figure alone(String what, Double value, String unit) {
        return new Figure(what, value, unit, null, null);
    }

    public static Figure against(String what, Double value, String unit, String yardstickWhat, Double yardstickValue) {
        return new Figure(what, value, unit, yardstickWhat, yardstickValue);
    }

    public boolean hasYardstick() {
        return yardstickWhat != null;
    }

    /** value / yardstick value, or null without both (or with a zero yardstick). */
    public Double ratio() {
        if (value == null || yardstickValue == null || yardstickValue == 0) {
            return null;
        }
        return value / yardstickValue;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("value", value);
        m.put("unit", unit);
        if (hasYardstick()) {
            Map<String, Object> y = new LinkedHashMap<>();
            y.put("what", yardstickWhat);
            y.put("value", yardstickValue);
            m.put("yardstick", y);
            m.put("ratio", ratio() == null ? null : Math.round(ratio() * 1000) / 1000.0);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Figure fromMap(Map<String, Object> m) {
        Map<String, Object> y = (Map<String, Object>) m.get("yardstick");
        return new Figure((String) m.get("what"), number(m.get("value")), (String) m.get("unit"),
                y == null ? null : (String) y.get("what"), y == null ? null : number(y.get("value")));
    }

    private static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }
}
