package io.warmstream.merger;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.model.PreferencePair;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A preference task a tiny model learns in a few dozen steps: the preferred reply always mentions that it is
 * "great", the other one never does; both are otherwise random words.
 */
final class ToyLabels {

    private static final String[] PROMPTS = {"how did it go", "what do you think of the plan", "rate the trip",
        "describe the meeting", "how is the new phone", "review the course"};
    private static final String[] WORDS = {"it", "was", "a", "the", "day", "team", "price", "screen", "room", "slow",
        "fast", "blue", "green", "late", "on", "time", "mostly", "somewhat", "again", "long", "short", "tea"};

    private ToyLabels() {
    }

    static List<PreferencePair> pairs(int n, long seed) {
        Random r = new Random(seed);
        List<PreferencePair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String prompt = PROMPTS[r.nextInt(PROMPTS.length)];
            String a = words(r, 2 + r.nextInt(5));
            String b = words(r, 2 + r.nextInt(5));
            String chosen = switch (r.nextInt(3)) {
                case 0 -> "great " + a;
                case 1 -> a + " great";
                default -> a + " great " + b;
            };
            out.add(new PreferencePair(prompt, chosen, r.nextBoolean() ? b : a + " " + b));
        }
        return out;
    }

    static List<PreferenceLabel> labels(String idPrefix, int n, long seed) {
        List<PreferenceLabel> out = new ArrayList<>(n);
        List<PreferencePair> pairs = pairs(n, seed);
        for (int i = 0; i < n; i++) {
            PreferencePair p = pairs.get(i);
            out.add(PreferenceLabel.newBuilder().setId(idPrefix + i).setPrompt(p.prompt()).setChosen(p.chosen())
                    .setRejected(p.rejected()).setLabeller("toy").setSource("merger-test")
                    .setCreatedAt(Instant.now()).build());
        }
        return out;
    }

    private static String words(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}
