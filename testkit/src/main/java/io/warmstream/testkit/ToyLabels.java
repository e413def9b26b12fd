package io.warmstream.testkit;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.model.PreferencePair;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A learnable toy preference world: the chosen response praises ("excellent", "wonderful", "great"), the rejected
 * one does not. Separable from token identity, so even a tiny random encoder learns it in a few dozen steps.
 */
public final class ToyLabels {

    private static final String[] PROMPTS = {"how was the meal", "rate the hotel", "what about the film",
        "describe the service", "review the book", "tell me about the car", "was the concert good"};
    private static final String[] PRAISE = {"excellent", "wonderful", "great"};
    private static final String[] WORDS = {"the", "food", "room", "plot", "staff", "pages", "engine", "music", "was",
        "quite", "very", "rather", "big", "small", "red", "blue", "late", "early", "long", "short", "cold", "warm"};

    private ToyLabels() {
    }

    public static List<PreferenceLabel> labels(String idPrefix, int n, long seed) {
        Random r = new Random(seed);
        List<PreferenceLabel> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PreferencePair p = pair(r);
            out.add(PreferenceLabel.newBuilder().setId(idPrefix + i).setPrompt(p.prompt()).setChosen(p.chosen())
                    .setRejected(p.rejected()).setLabeller("toy").setSource("test").setConfidence(null)
                    .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + i)).setMetadata(null).build());
        }
        return out;
    }

    public static List<PreferencePair> pairs(int n, long seed) {
        Random r = new Random(seed);
        List<PreferencePair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(pair(r));
        }
        return out;
    }

    public static PreferencePair pair(PreferenceLabel l) {
        return new PreferencePair(l.getPrompt(), l.getChosen(), l.getRejected());
    }

    private static PreferencePair pair(Random r) {
        String prompt = PROMPTS[r.nextInt(PROMPTS.length)];
        String filler = words(r, 3 + r.nextInt(4));
        String other = words(r, 3 + r.nextInt(4));
        String praise = PRAISE[r.nextInt(PRAISE.length)];
        String chosen = switch (r.nextInt(3)) {
            case 0 -> praise + " " + filler;
            case 1 -> filler + " " + praise;
            default -> filler + " " + praise + " " + other;
        };
        String rejected = r.nextBoolean() ? filler + " " + other : other;
        return new PreferencePair(prompt, chosen, rejected);
    }

    private static String words(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}
