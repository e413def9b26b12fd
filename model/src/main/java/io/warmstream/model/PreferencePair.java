package io.warmstream.model;

/** One preference label: for {@code prompt}, {@code chosen} was preferred over {@code rejected}. */
public record PreferencePair(String prompt, String chosen, String rejected) {

    public PreferencePair {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt must not be null");
        }
        if (chosen == null) {
            throw new IllegalArgumentException("chosen must not be null");
        }
        if (rejected == null) {
            throw new IllegalArgumentException("rejected must not be null");
        }
    }
}
