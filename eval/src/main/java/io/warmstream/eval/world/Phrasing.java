package io.warmstream.eval.world;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Small text helpers shared by the post and summary writers: picking, casing, splitting value forms, counting words. */
final class Phrasing {
    private Phrasing() {
    }

    static <T> T pick(List<T> options, SplittableRandom rng) {
        return options.get(rng.nextInt(options.size()));
    }

    static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }

    /** "post form|summary form" to {post, summary}; a value without '|' is both. */
    static String[] forms(String value) {
        int bar = value.indexOf('|');
        return bar < 0 ? new String[] {value, value} : new String[] {value.substring(0, bar), value.substring(bar + 1)};
    }

    static String capitalize(String text) {
        if (text.isEmpty() || Character.isUpperCase(text.charAt(0))) {
            return text;
        }
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Capitalised and ending in sentence punctuation. */
    static String sentence(String text) {
        return terminated(capitalize(text.strip()));
    }

    /** Ending in sentence punctuation. */
    static String terminated(String text) {
        char last = text.charAt(text.length() - 1);
        return last == '.' || last == '?' || last == '!' ? text : text + ".";
    }

    static int words(String text) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
        }
        return count;
    }
}
