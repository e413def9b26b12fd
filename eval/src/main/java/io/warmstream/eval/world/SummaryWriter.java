package io.warmstream.eval.world;

import io.warmstream.eval.world.TopicCatalog.Slot;
import io.warmstream.eval.world.TopicCatalog.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes the text of a candidate summary from a {@link SummaryPlan}, then measures what the text really contains
 * (truncation or a failed hallucination attempt can change the plan) and scores it with the {@link GoldReward}.
 * Kept in one class because the steps (invented values, repeats, fillers, truncation) edit one list of pieces in an
 * order that decides what the gold reward sees.
 */
final class SummaryWriter {
    private enum Role { FACT, COPY, INVENTED, FILLER, VAGUE, FRAGMENT }

    /** One clause or sentence of the summary. */
    private static final class Piece {
        final Role role;
        final int fact;
        final String key;
        String text;
        String tail;

        Piece(Role role, int fact, String key, String text) {
            this.role = role;
            this.fact = fact;
            this.key = key;
            this.text = text;
        }

        boolean content() {
            return role == Role.FACT || role == Role.COPY || role == Role.INVENTED;
        }

        Piece duplicate() {
            return new Piece(role, fact, key, text);
        }
    }

    private static final int ATTEMPTS = 16;

    private final TopicCatalog catalog;
    private final GoldReward gold;

    SummaryWriter(TopicCatalog catalog, GoldReward gold) {
        this.catalog = catalog;
        this.gold = gold;
    }

    Candidate write(Task task, SummaryPlan plan, SplittableRandom rng) {
        Topic topic = catalog.topic(task.topic());
        Vocabulary vocabulary = Vocabulary.of(catalog.pools(), task.bindings());
        String post = task.post().toLowerCase(Locale.ROOT);
        List<Piece> pieces = statedFacts(task, post, topic, plan, vocabulary, rng);
        addInventedFacts(task, post, topic, plan.inventedNew(), vocabulary, pieces, rng);
        if (pieces.isEmpty()) {
            pieces.add(new Piece(Role.VAGUE, -1, null, Phrasing.pick(catalog.fillers().vague(), rng)));
        }
        addRepeats(plan.repeats(), pieces, rng);
        boolean telegraphic = plan.telegraphic() && select(pieces, p -> p.role == Role.COPY).isEmpty();
        String lead = addFillers(plan.fillers(), pieces, telegraphic, rng);
        if (telegraphic) {
            // Filler sentences follow the one telegraphic sentence.
            List<Piece> ordered = select(pieces, p -> p.role != Role.FILLER);
            ordered.addAll(select(pieces, p -> p.role == Role.FILLER));
            pieces = ordered;
        }
        boolean truncated = plan.truncated() && truncate(pieces, telegraphic);
        String text = render(pieces, telegraphic, plan.tldr(), lead, rng);
        if (truncated) {
            text = stripEnd(text);
        }
        CandidateProperties properties = measure(task, pieces, lead != null, text, truncated);
        return new Candidate(text, gold.score(properties), properties);
    }

    private List<Piece> statedFacts(Task task, String post, Topic topic, SummaryPlan plan, Vocabulary vocabulary,
                                    SplittableRandom rng) {
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < task.facts().size(); i++) {
            Fact fact = task.facts().get(i);
            Slot slot = topic.slots().get(fact.slot());
            if (plan.copied().contains(i)) {
                pieces.add(new Piece(Role.COPY, i, fact.text(), fact.sentence()));
            } else if (plan.covered().contains(i)) {
                pieces.add(new Piece(Role.FACT, i, fact.key(), clause(slot, fact.key(), vocabulary, rng)));
            } else if (plan.contradicted().contains(i)) {
                Piece wrong = inventedValue(post, slot, fact, vocabulary, rng);
                if (wrong != null) {
                    pieces.add(wrong);
                }
            }
        }
        return pieces;
    }

    /** A different value for the same kind of fact, absent from the post: "$830" where the post says "$380". */
    private Piece inventedValue(String post, Slot slot, Fact fact, Vocabulary vocabulary, SplittableRandom rng) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String entry = Phrasing.pick(slot.values(), rng);
            Vocabulary redrawn = vocabulary.rebinding(entry);
            String[] forms = Phrasing.forms(redrawn.expand(entry, rng));
            boolean differs = fact == null || !(forms[1].equals(fact.key()) || forms[0].equals(fact.text()));
            // Lower case: sentence starts are capitalised, so "my dad" is in "My dad tried to fix it".
            if (differs && !post.contains(forms[0].toLowerCase(Locale.ROOT))
                    && !post.contains(forms[1].toLowerCase(Locale.ROOT))) {
                return new Piece(Role.INVENTED, -1, forms[1], clause(slot, forms[1], redrawn, rng));
            }
        }
        return null;
    }

    /** Facts of kinds the post never mentions, placed anywhere in the summary. */
    private void addInventedFacts(Task task, String post, Topic topic, int count, Vocabulary vocabulary,
                                  List<Piece> pieces, SplittableRandom rng) {
        if (count == 0) {
            return;
        }
        List<Integer> absent = new ArrayList<>();
        for (int slot = 0; slot < topic.slots().size(); slot++) {
            absent.add(slot);
        }
        for (Fact fact : task.facts()) {
            absent.remove(Integer.valueOf(fact.slot()));
        }
        Phrasing.shuffle(absent, rng);
        for (int i = 0; i < Math.min(count, absent.size()); i++) {
            Piece invented = inventedValue(post, topic.slots().get(absent.get(i)), null, vocabulary, rng);
            if (invented != null) {
                pieces.add(rng.nextInt(pieces.size() + 1), invented);
            }
        }
    }

    private static void addRepeats(int count, List<Piece> pieces, SplittableRandom rng) {
        List<Piece> content = select(pieces, Piece::content);
        if (content.isEmpty()) {
            return;
        }
        for (int r = 0; r < count; r++) {
            Piece original = Phrasing.pick(content, rng);
            int at = rng.nextBoolean() ? pieces.indexOf(original) + 1 : pieces.size();
            pieces.add(at, original.duplicate());
        }
    }

    /** Adds filler tails and sentences to {@code pieces}; returns the lead-in phrase, if one was drawn. */
    private String addFillers(int count, List<Piece> pieces, boolean telegraphic, SplittableRandom rng) {
        String lead = null;
        TopicCatalog.Fillers fillers = catalog.fillers();
        Set<String> used = new HashSet<>();
        for (int f = 0; f < count; f++) {
            double r = rng.nextDouble();
            List<Piece> withoutTail = select(pieces, p -> p.content() && p.tail == null);
            boolean opensWithCopy = !pieces.isEmpty() && pieces.get(0).role == Role.COPY;
            if (lead == null && r < 0.3 && !opensWithCopy) { // "So, so basically I..." reads as a glitch
                lead = Phrasing.pick(fillers.leads(), rng);
            } else if (r < 0.65 && !withoutTail.isEmpty()) {
                Phrasing.pick(withoutTail, rng).tail = unused(fillers.tails(), used, rng);
            } else {
                int at = telegraphic ? pieces.size() : 1 + rng.nextInt(pieces.size());
                pieces.add(at, new Piece(Role.FILLER, -1, null, unused(fillers.sentences(), used, rng)));
            }
        }
        return lead;
    }

    /** Padding is not repetition: the gold reward only penalises repeated facts, so fillers do not repeat. */
    private static String unused(List<String> options, Set<String> used, SplittableRandom rng) {
        String choice = Phrasing.pick(options, rng);
        for (int attempt = 0; attempt < 4 * options.size() && used.contains(choice); attempt++) {
            choice = Phrasing.pick(options, rng);
        }
        used.add(choice);
        return choice;
    }

    /**
     * Cuts the last piece before its key, so the cut fact or invention is no longer stated. Returns false when there
     * is nothing sensible to cut.
     */
    private static boolean truncate(List<Piece> pieces, boolean telegraphic) {
        if (pieces.size() < 2) {
            return false; // generations run out of tokens after saying something, not in their first clause
        }
        Piece last = pieces.get(pieces.size() - 1);
        last.tail = null;
        if (last.role == Role.FILLER || last.role == Role.VAGUE) {
            String[] words = last.text.split(" ");
            if (words.length < 4) {
                return false;
            }
            last.text = String.join(" ", java.util.Arrays.copyOf(words, words.length / 2));
            return true;
        }
        int at = last.text.indexOf(last.key);
        String before = at > 0 ? last.text.substring(0, at).strip() : "";
        if (!before.isEmpty()) {
            pieces.set(pieces.size() - 1, new Piece(Role.FRAGMENT, -1, null, before));
            return true;
        }
        pieces.set(pieces.size() - 1, new Piece(Role.FRAGMENT, -1, null, telegraphic ? "and" : "And then"));
        return true;
    }

    private static String render(List<Piece> pieces, boolean telegraphic, boolean tldr, String lead,
                                 SplittableRandom rng) {
        StringBuilder out = new StringBuilder(160);
        if (tldr) {
            out.append("TL;DR: ");
        }
        if (lead != null) {
            out.append(lead).append(", ");
        }
        if (telegraphic) {
            List<Piece> clauses = select(pieces, p -> p.role != Role.FILLER);
            boolean and = clauses.size() > 1 && rng.nextBoolean()
                    && clauses.get(clauses.size() - 1).role != Role.FRAGMENT;
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < clauses.size(); i++) {
                if (i > 0) {
                    line.append(and && i == clauses.size() - 1 ? " and " : ", ");
                }
                line.append(withTail(clauses.get(i)));
            }
            out.append(lead == null ? Phrasing.sentence(line.toString()) : line.append('.'));
            for (Piece filler : pieces.subList(clauses.size(), pieces.size())) {
                out.append(' ').append(Phrasing.sentence(filler.text));
            }
        } else {
            for (int i = 0; i < pieces.size(); i++) {
                String text = withTail(pieces.get(i));
                if (i == 0 && lead != null) {
                    out.append(Phrasing.terminated(text)); // after "Basically, " a clause keeps its own case
                } else {
                    out.append(i == 0 ? "" : " ").append(Phrasing.sentence(text));
                }
            }
        }
        return out.toString();
    }

    private static List<Piece> select(List<Piece> pieces, java.util.function.Predicate<Piece> test) {
        List<Piece> out = new ArrayList<>(pieces.size());
        for (Piece piece : pieces) {
            if (test.test(piece)) {
                out.add(piece);
            }
        }
        return out;
    }

    private static String withTail(Piece piece) {
        if (piece.tail == null) {
            return piece.text;
        }
        String text = piece.text;
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text + ", " + piece.tail;
    }

    private static String stripEnd(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == ','
                || Character.isWhitespace(text.charAt(end - 1)))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static String clause(Slot slot, String key, Vocabulary vocabulary, SplittableRandom rng) {
        return vocabulary.expand(Phrasing.pick(slot.summary(), rng).replace("{s}", key), rng);
    }

    private static CandidateProperties measure(Task task, List<Piece> pieces, boolean lead, String text,
                                               boolean truncated) {
        Set<Integer> covered = new java.util.TreeSet<>();
        Set<Integer> copied = new HashSet<>();
        Set<String> invented = new java.util.LinkedHashSet<>();
        Set<String> distinct = new HashSet<>();
        int content = 0;
        int fillers = lead ? 1 : 0;
        for (Piece piece : pieces) {
            switch (piece.role) {
                case FACT -> covered.add(piece.fact);
                case COPY -> {
                    covered.add(piece.fact);
                    copied.add(piece.fact);
                }
                case INVENTED -> invented.add(piece.key);
                case FILLER, VAGUE -> fillers++;
                default -> { }
            }
            if (piece.content()) {
                content++;
                distinct.add(piece.role + "|" + piece.fact + "|" + piece.key);
            }
            if (piece.tail != null) {
                fillers++;
            }
        }
        double salience = 0;
        for (int fact = 0; fact < task.facts().size(); fact++) {
            salience += covered.contains(fact) ? task.facts().get(fact).salience() : 0;
        }
        return new CandidateProperties(covered.size(), task.facts().size() - covered.size(),
                salience / task.totalSalience(), invented.size(), content - distinct.size(), copied.size(), fillers,
                Phrasing.words(text), truncated, new ArrayList<>(covered), new ArrayList<>(invented));
    }
}
