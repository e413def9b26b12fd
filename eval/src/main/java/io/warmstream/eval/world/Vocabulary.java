package io.warmstream.eval.world;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fills {@code {placeholder}} slots in templates with values that stay fixed within one task: the dog is called the
 * same in the post and in every summary, {@code {name}} and {@code {name2}} are different people, and
 * {@code {money:A-B}} / {@code {int:A-B}} are drawn once.
 */
final class Vocabulary {
    private final Map<String, List<String>> pools;
    private final Map<String, String> bound;

    Vocabulary(Map<String, List<String>> pools) {
        this(pools, new HashMap<>());
    }

    private Vocabulary(Map<String, List<String>> pools, Map<String, String> bound) {
        this.pools = pools;
        this.bound = bound;
    }

    /** Continues a task's vocabulary: its names and numbers stay, new placeholders are drawn fresh. */
    static Vocabulary of(Map<String, List<String>> pools, Map<String, String> bindings) {
        return new Vocabulary(pools, new HashMap<>(bindings));
    }

    /** A copy that keeps every binding except those used by {@code template}, which will be drawn again. */
    Vocabulary rebinding(String template) {
        Map<String, String> copy = new HashMap<>(bound);
        forEachKey(template, copy::remove);
        return new Vocabulary(pools, copy);
    }

    /** A copy sharing nothing mutable with this one, so hypothetical expansions leave the task untouched. */
    Vocabulary copy() {
        return new Vocabulary(pools, new HashMap<>(bound));
    }

    Map<String, String> bindings() {
        return Map.copyOf(bound);
    }

    String expand(String template, SplittableRandom rng) {
        int open = template.indexOf('{');
        if (open < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int from = 0;
        while (open >= 0) {
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed placeholder in: " + template);
            }
            out.append(template, from, open);
            String key = template.substring(open + 1, close);
            String value = bound.get(key);
            if (value == null) {
                value = draw(key, rng);
                bound.put(key, value);
            }
            out.append(value);
            from = close + 1;
            open = template.indexOf('{', from);
        }
        return out.append(template, from, template.length()).toString();
    }

    private String draw(String key, SplittableRandom rng) {
        if (key.startsWith("money:")) {
            int[] range = range(key);
            int span = range[1] - range[0];
            int step = span >= 2000 ? 50 : span >= 200 ? 10 : 5;
            int amount = range[0] + step * rng.nextInt(span / step + 1);
            return amount >= 1000 ? String.format(Locale.ROOT, "$%,d", amount) : "$" + amount;
        }
        if (key.startsWith("int:")) {
            int[] range = range(key);
            return Integer.toString(range[0] + rng.nextInt(range[1] - range[0] + 1));
        }
        String pool = poolName(key);
        List<String> values = pools.get(pool);
        if (values == null) {
            throw new IllegalArgumentException("unknown pool {" + key + "}");
        }
        // Different keys of one pool ({name}, {name2}) must name different things.
        String value = values.get(rng.nextInt(values.size()));
        for (int attempt = 0; attempt < 32 && takenByOtherKey(pool, key, value); attempt++) {
            value = values.get(rng.nextInt(values.size()));
        }
        return value;
    }

    private boolean takenByOtherKey(String pool, String key, String value) {
        for (Map.Entry<String, String> e : bound.entrySet()) {
            if (!e.getKey().equals(key) && e.getValue().equals(value) && poolName(e.getKey()).equals(pool)) {
                return true;
            }
        }
        return false;
    }

    private static int[] range(String key) {
        String spec = key.substring(key.indexOf(':') + 1);
        int dash = spec.indexOf('-');
        return new int[] {Integer.parseInt(spec.substring(0, dash)), Integer.parseInt(spec.substring(dash + 1))};
    }

    private static String poolName(String key) {
        int end = key.length();
        while (end > 0 && Character.isDigit(key.charAt(end - 1))) {
            end--;
        }
        return key.substring(0, end);
    }

    /** The first placeholder in {@code text} that names no pool, or null; used to validate the catalog. */
    static String missingPool(String text, Map<String, List<String>> pools) {
        String[] missing = {null};
        forEachKey(text, key -> {
            boolean numeric = key.startsWith("money:") || key.startsWith("int:");
            boolean special = key.equals("v") || key.equals("s");
            if (!numeric && !special && !pools.containsKey(poolName(key)) && missing[0] == null) {
                missing[0] = key;
            }
        });
        return missing[0];
    }

    private static void forEachKey(String template, java.util.function.Consumer<String> action) {
        int open = template.indexOf('{');
        while (open >= 0) {
            int close = template.indexOf('}', open);
            if (close < 0) {
                return;
            }
            action.accept(template.substring(open + 1, close));
            open = template.indexOf('{', close);
        }
    }
}
