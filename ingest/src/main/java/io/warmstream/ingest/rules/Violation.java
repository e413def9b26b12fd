package io.warmstream.ingest.rules;

/**
 * One broken rule: which field, why (stable code), and a human-readable detail.
 *
 * @param field  the field name as clients spell it ({@code prompt}, {@code metadata.lang}); {@code $} for the item itself
 * @param reason why the value was refused
 * @param detail what exactly is wrong, for humans
 */
public record Violation(String field, Reason reason, String detail) {

    /** The field name used when the problem is the item as a whole. */
    public static final String WHOLE_ITEM = "$";

    public static Violation of(String field, Reason reason, String detail) {
        return new Violation(field, reason, detail);
    }
}
