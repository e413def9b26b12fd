package io.warmstream.testkit;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.model.PreferencePair;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A preference task a tiny model learns in a few dozen steps: the preferred reply always mentions that it is
 * "great", the other one never does; both are otherwise random words. The merger's gate and guard tests rely on how
 * quickly it is learned (a member trained a few steps must be clearly worse than one trained longer), so keep it
 * this easy.
 */
public final class ToyLabels {

    /** Creation time of label 0; label i is i ms later, so the labels of a seed are the same bytes on every run. */
    private static final long CREATED_AT_MS = 1_700_000_000_000L;
    private static final String[] PROMPTS = {"how did it go", "what do you think of the plan", "rate the trip",
        "describe the meeting", "how is the new phone", "review the course"};
    private static final String[] WORDS = {"it", "was", "a", "the", "day", "team", "price", "screen", "room", "slow",
        "fast", "blue", "green", "late", "on", "time", "mostly", "somewhat", "again", "long", "short", "tea"};

    private ToyLabels() {
    }

    public static List<PreferencePair> pairs(int n, long seed) {
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

    /** The pairs of {@code seed} as label events with ids {@code idPrefix + i}. */
    public static List<PreferenceLabel> labels(String idPrefix, int n, long seed) {
        List<PreferencePair> pairs = pairs(n, seed);
        List<PreferenceLabel> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PreferencePair p = pairs.get(i);
            out.add(PreferenceLabel.newBuilder().setId(idPrefix + i).setPrompt(p.prompt()).setChosen(p.chosen())
                    .setRejected(p.rejected()).setLabeller("toy").setSource("test").setConfidence(null)
                    .setCreatedAt(Instant.ofEpochMilli(CREATED_AT_MS + i)).setMetadata(null).build());
        }
        return out;
    }

    public static PreferencePair pair(PreferenceLabel l) {
        return new PreferencePair(l.getPrompt(), l.getChosen(), l.getRejected());
    }

    private static String words(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}
