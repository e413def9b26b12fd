package io.warmstream.eval.world;

/**
 * One concrete fact stated in a post.
 *
 * @param slot      index of the topic slot the fact fills (story order)
 * @param kind      what sort of fact: who, what, amount, place, time or outcome
 * @param salience  how much a summary gains by covering it, relative to the other facts (0..1]
 * @param text      the fact as the post words it
 * @param key       the fact as summaries word it; a summary covers the fact when it contains this key (or
 *                  {@code text}, when it copies the post's sentence)
 * @param sentence  the post sentence stating the fact
 */
public record Fact(int slot, String kind, double salience, String text, String key, String sentence) {
}
