package io.warmstream.eval.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PreferenceWorldTest {
    private final PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(0.25));

    @Test
    void sameSeedGivesIdenticalLabelsInAnyOrder() {
        PreferenceWorld again = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(0.25));
        for (Split split : Split.values()) {
            List<LabelledPair> first = world.labels(split, 300).toList();
            assertEquals(first, again.labels(split, 300).toList());
            assertEquals(first, again.labels(split, 300).parallel().toList());
            assertEquals(first.get(217), again.label(split, 217));
            assertEquals(first.subList(100, 150), again.labels(split, 100, 50).toList());
        }
        Task task = world.task(Split.OOD, 9);
        assertEquals(world.candidates(task, 16, 5), again.candidates(again.task(Split.OOD, 9), 16, 5));
    }

    @Test
    void differentSeedsGiveDifferentLabels() {
        PreferenceWorld other = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(0.25).withSeed(43));
        List<LabelledPair> a = world.labels(Split.TRAIN, 200).toList();
        List<LabelledPair> b = other.labels(Split.TRAIN, 200).toList();
        long samePrompts = 0;
        for (int i = 0; i < a.size(); i++) {
            samePrompts += a.get(i).prompt().equals(b.get(i).prompt()) ? 1 : 0;
        }
        assertEquals(0, samePrompts);
        assertNotEquals(a.get(0).id(), b.get(0).id());
    }

    @Test
    void postsAreVariedAndPromptsShort() {
        Set<String> posts = new HashSet<>();
        int n = 2000;
        int withinRange = 0;
        for (int i = 0; i < n; i++) {
            Task task = world.task(Split.TRAIN, i);
            posts.add(task.post());
            assertTrue(task.prompt().startsWith(Task.PROMPT_PREFIX));
            assertTrue(task.facts().size() >= 4 && task.facts().size() <= 6, task.id());
            assertEquals(1, task.facts().stream().filter(f -> f.kind().equals("what")).count());
            for (Fact fact : task.facts()) {
                assertTrue(task.post().contains(fact.sentence()), fact.sentence());
                assertTrue(fact.sentence().toLowerCase().contains(fact.text().toLowerCase()), fact.text());
            }
            int words = Phrasing.words(task.prompt());
            withinRange += words >= 30 && words <= 100 ? 1 : 0;
        }
        assertEquals(n, posts.size(), "every post differs");
        assertTrue(withinRange >= 0.98 * n, "prompt lengths: " + withinRange);
    }

    @Test
    void oodUsesUnseenTopicsAndLongerCloserCandidates() {
        Set<String> trainTopics = world.labels(Split.TRAIN, 2000).map(l -> l.metadata().get(LabelledPair.TOPIC))
                .collect(Collectors.toSet());
        Set<String> validationTopics = world.labels(Split.VALIDATION_ID, 2000)
                .map(l -> l.metadata().get(LabelledPair.TOPIC)).collect(Collectors.toSet());
        Set<String> oodTopics = world.labels(Split.OOD, 2000).map(l -> l.metadata().get(LabelledPair.TOPIC))
                .collect(Collectors.toSet());
        assertEquals(Set.copyOf(world.topics(Split.TRAIN)), trainTopics);
        assertEquals(trainTopics, validationTopics);
        assertEquals(Set.copyOf(world.topics(Split.OOD)), oodTopics);
        assertTrue(trainTopics.size() >= 8 && oodTopics.size() >= 3);
        Set<String> overlap = new HashSet<>(trainTopics);
        overlap.retainAll(oodTopics);
        assertEquals(Set.of(), overlap);

        double[] id = candidateStats(Split.VALIDATION_ID);
        double[] ood = candidateStats(Split.OOD);
        assertTrue(ood[0] > 1.5 * id[0], "OOD candidates longer: " + ood[0] + " vs " + id[0]);
        assertTrue(ood[1] > id[1] + 0.15, "OOD candidates cover more: " + ood[1] + " vs " + id[1]);
        assertTrue(ood[2] < 0.9 * id[2], "OOD pairs closer in gold: " + ood[2] + " vs " + id[2]);
    }

    /** Mean words, mean coverage and mean absolute gold difference of consecutive candidates. */
    private double[] candidateStats(Split split) {
        double words = 0;
        double coverage = 0;
        double gap = 0;
        int n = 0;
        for (int t = 0; t < 300; t++) {
            List<Candidate> candidates = world.candidates(world.task(split, t), 8, 1);
            for (int i = 0; i < candidates.size(); i++) {
                words += candidates.get(i).properties().words();
                coverage += candidates.get(i).properties().coverage();
                if (i > 0) {
                    gap += Math.abs(candidates.get(i).goldReward() - candidates.get(i - 1).goldReward()) * 8 / 7;
                }
                n++;
            }
        }
        return new double[] {words / n, coverage / n, gap / n};
    }

    @Test
    void bestOfNIsNestedAndMonotoneInN() {
        for (int t = 0; t < 20; t++) {
            Task task = world.task(Split.VALIDATION_ID, t);
            List<Candidate> all = world.candidates(task, 64, 7);
            double previous = Double.NEGATIVE_INFINITY;
            for (int n = 1; n <= 64; n *= 2) {
                List<Candidate> firstN = world.candidates(task, n, 7);
                assertEquals(all.subList(0, n), firstN);
                double best = firstN.stream().max(Comparator.comparingDouble(Candidate::goldReward)).orElseThrow()
                        .goldReward();
                assertTrue(best >= previous);
                previous = best;
            }
            assertNotEquals(all, world.candidates(task, 64, 8), "another seed draws other candidates");
        }
    }

    @Test
    void explicitShiftChangesThePolicy() {
        Task task = world.task(Split.VALIDATION_ID, 3);
        double plain = world.candidates(task, 200, 1).stream().mapToInt(c -> c.properties().words()).average()
                .orElseThrow();
        double shifted = world.candidates(task, 200, 1, 1.0).stream().mapToInt(c -> c.properties().words())
                .average().orElseThrow();
        assertTrue(shifted > plain + 5, shifted + " vs " + plain);
    }

    @Test
    void labelsCarryTheirProvenance() {
        LabelledPair label = world.label(Split.VALIDATION_ID, 12);
        assertEquals("pw-42-validation-12", label.id());
        assertEquals("sim-ai-labeller", label.labeller());
        assertEquals("preference-world", label.source());
        assertEquals(1_704_067_200_000L + 12_000L, label.createdAt());
        assertEquals("validation", label.metadata().get(LabelledPair.SPLIT));
        assertEquals("pw-42-validation-t12", label.metadata().get(LabelledPair.TASK_ID));
        assertEquals(world.task(Split.VALIDATION_ID, 12).prompt(), label.prompt());
        assertNotEquals(label.chosen(), label.rejected());

        PreferenceWorld shared = PreferenceWorld.create(WorldConfig.defaults().withLabelsPerTask(4));
        assertEquals(shared.label(Split.TRAIN, 4).prompt(), shared.label(Split.TRAIN, 7).prompt());
        assertNotEquals(shared.label(Split.TRAIN, 4).prompt(), shared.label(Split.TRAIN, 8).prompt());
    }
}
