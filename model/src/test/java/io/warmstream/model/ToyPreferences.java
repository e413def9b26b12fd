package io.warmstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A separable toy preference task: the chosen response contains the word "excellent", the rejected one does not. */
public final class ToyPreferences {

    private static final String[] PROMPTS = {
        "how was the meal", "rate the hotel", "what about the film", "describe the service", "review the book",
        "how is the weather", "tell me about the car", "was the concert good"};
    private static final String[] WORDS = {
        "the", "food", "room", "plot", "staff", "pages", "engine", "music", "was", "quite", "very", "rather",
        "big", "small", "red", "blue", "late", "early", "long", "short", "cold", "warm", "loud", "quiet"};

    private ToyPreferences() {}

    public static List<PreferencePair> generate(int n, long seed) {
        Random r = new Random(seed);
        List<PreferencePair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String prompt = PROMPTS[r.nextInt(PROMPTS.length)];
            String filler = words(r, 3 + r.nextInt(5));
            String other = words(r, 3 + r.nextInt(5));
            int at = r.nextInt(3);
            String chosen = switch (at) {
                case 0 -> "excellent " + filler;
                case 1 -> filler + " excellent";
                default -> filler + " excellent " + other;
            };
            String rejected = r.nextBoolean() ? filler + " " + other : other;
            out.add(new PreferencePair(prompt, chosen, rejected));
        }
        return out;
    }

    private static String words(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}
