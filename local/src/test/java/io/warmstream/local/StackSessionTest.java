package io.warmstream.local;

import io.warmstream.local.session.StackSession;
import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.client.ScorerClient;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.WorldConfig;
import io.warmstream.local.feed.PipelineLabels;
import io.warmstream.local.feed.SimulatorFeed;
import io.warmstream.local.stack.RunningService;
import io.warmstream.local.stack.StackSettings;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.security.Roles;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole stack in this JVM with the tiny encoder: simulator labels in, a WARM version out and served; then a
 * stop in the middle of the label stream and a restart on the same data directory, which must neither lose nor
 * duplicate a label, and must continue the average's members rather than start over.
 */
class StackSessionTest {

    private static final Duration WAIT = Duration.ofMinutes(4);
    /** Some labels go out broken, as from a real pipeline: refused by ingest, never on the validated topic. */
    private static final double BAD = 0.05;

    @Test
    void labelsBecomeAServedWarmVersionAndARestartResumesWithoutLossOrDuplicates() throws Exception {
        Path dir = Files.createTempDirectory("warm-stack-test");
        long seed = 1000 + (System.nanoTime() & 0xFFFF);
        StackSettings settings = StackSettings.forTests(dir);
        ByteArrayOutputStream account = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(account, true, StandardCharsets.UTF_8);

        // Run 1: labels at 25/s without end; stopped once the first version is served, mid-stream.
        long sentInRun1;
        WarmModelPublished first;
        try (StackSession session = StackSession.start(settings,
                new StackSession.FeedOptions(seed, 0.0, BAD, 25, Long.MAX_VALUE, Duration.ZERO), out, Clock.systemUTC(), Duration.ofSeconds(2))) {
            KafkaSettings kafka = session.stack().kafkaSettings();
            first = awaitVersion(kafka, 1);
            assertEquals(1, first.getMemberCount());

            String scorerUrl = session.stack().service("scorer").orElseThrow().url();
            // Security is on: the stack made one key per role in the data directory and binds to this machine only.
            assertLoopbackOnly(session.stack().service("scorer").orElseThrow());
            assertTrue(Files.isRegularFile(dir.resolve("security").resolve("credentials.properties")));
            assertTrue(run1Account(account).contains("credentials:"), run1Account(account));
            IOException anonymous = assertThrows(IOException.class, () -> new ScorerClient(scorerUrl, Duration.ofSeconds(30))
                    .score(List.of(new ScorerClient.Pair("p", "r"))));
            assertTrue(anonymous.getMessage().contains("HTTP 401"), anonymous.getMessage());
            ScorerClient.Score score = awaitScore(new ScorerClient(scorerUrl, Duration.ofSeconds(30),
                    session.stack().secrets().key(Roles.READER)));
            assertTrue(score.modelVersion() >= 1, "scorer serves a WARM version: " + score);
            assertTrue(Double.isFinite(score.reward()));

            // The scorer's test-set judge scores the served version on the demo's gold test sets.
            awaitText(account, "test   default v1: gold-id ");
            checkClientCommands(session, dir);
            SimulatorFeed feed = session.feed().orElseThrow();
            assertTrue(feed.stats().sent() > 0 && !feed.finished());
            sentInRun1 = feed.stats().nextIndex();
        }
        String run1 = account.toString(StandardCharsets.UTF_8);
        assertTrue(run1.contains("empty data directory"), run1);
        assertTrue(run1.contains("the scorer's judge first computes their frozen bottom layers"), run1);
        assertTrue(run1.contains("job "), run1);
        assertTrue(run1.contains("ckpt ") && run1.contains("validation accuracy"), run1);
        assertTrue(run1.contains("WARM   default v1 published: 1 member"), run1);
        assertTrue(run1.contains("first WARM version"), run1);
        assertTrue(run1.matches("(?s).*test   default v1: gold-id 0\\.\\d{3} ± 0\\.\\d{3}, gold-ood 0\\.\\d{3} ± 0\\.\\d{3} \\(100 pairs each.*"), run1);
        assertTrue(run1.contains("freshness: newest label "), run1);
        account.reset();

        // Run 2 on the same directory: continue to a fixed total, then check every label is there exactly once.
        long total = sentInRun1 + 150;
        try (StackSession session = StackSession.start(settings,
                new StackSession.FeedOptions(seed, 0.0, BAD, 50, total, Duration.ZERO), out, Clock.systemUTC(), Duration.ofSeconds(2))) {
            KafkaSettings kafka = session.stack().kafkaSettings();
            SimulatorFeed feed = session.feed().orElseThrow();
            await("the feed to send every label", feed::finished);

            String prefix = "pw-" + seed + "-train-";
            PipelineLabels pipeline = new PipelineLabels(PreferenceWorld.create(WorldConfig.defaults().withSeed(seed)), BAD);
            long broken = LongStream.range(0, total).filter(pipeline::isBroken).count();
            assertTrue(broken > 0, "the test should include broken labels");
            List<String> keys = TopicReader.awaitKeys(kafka, Topics.PREFERENCES, prefix, (int) (total - broken), WAIT);
            Set<String> unique = new HashSet<>(keys);
            assertEquals(keys.size(), unique.size(), "a label reached the validated topic twice");
            assertEquals(total - broken, unique.size(), "labels lost across the restart");
            for (long i = 0; i < total; i++) {
                assertEquals(!pipeline.isBroken(i), unique.contains(prefix + i), "label " + i);
            }
            assertTrue(feed.stats().rejected() > 0, "ingest refused the broken labels of run 2");
            List<String> raw = TopicReader.keys(kafka, Topics.PREFERENCES_RAW, prefix);
            assertEquals(raw.size(), new HashSet<>(raw).size(), "the simulator resent a label after the restart");

            WarmModelPublished later = awaitVersion(kafka, first.getVersion() + 1);
            List<WarmModelPublished> versions = TopicReader.values(kafka, Topics.MODELS,
                    kafka.serdes().valueDeserializer(WarmModelPublished.class));
            assertMembersContinue(versions);
            assertTrue(later.getMemberCount() > first.getMemberCount());
            Set<String> laterMembers = later.getMembers().stream().map(Member::getJobId).collect(Collectors.toSet());
            assertTrue(laterMembers.containsAll(first.getMembers().stream().map(Member::getJobId).toList()),
                    "the restarted merger folded into the existing average");
        }
        String run2 = account.toString(StandardCharsets.UTF_8);
        assertTrue(run2.contains("resuming at label " + String.format("%,d", sentInRun1)), run2);
        assertTrue(run2.contains("resume ") && run2.contains("newest WARM default v"), run2);
        assertTrue(run2.contains("schemas and ids restored"), run2);
    }

    /** Versions go up one at a time; every version's members are distinct and include the previous version's. */
    private static void awaitText(ByteArrayOutputStream account, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!account.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the account:\n" + account.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
    }

    private static void assertMembersContinue(List<WarmModelPublished> versions) {
        WarmModelPublished previous = null;
        for (WarmModelPublished v : versions) {
            List<String> ids = v.getMembers().stream().map(Member::getJobId).toList();
            assertEquals(ids.size(), new HashSet<>(ids).size(), "v" + v.getVersion() + " lists a member twice: " + ids);
            assertEquals(v.getMemberCount(), ids.size());
            if (previous != null) {
                assertEquals(previous.getVersion() + 1, v.getVersion(), "versions skip or repeat");
                assertTrue(v.getGeneration() >= previous.getGeneration(), "generations never go back");
                // A new shared-head generation starts a new average (its members are not linearly connected to the
                // old ones); within one generation, members accumulate.
                if (v.getGeneration() == previous.getGeneration()) {
                    assertTrue(ids.containsAll(previous.getMembers().stream().map(Member::getJobId).toList()),
                            "v" + v.getVersion() + " dropped a member of v" + previous.getVersion());
                }
            }
            previous = v;
        }
    }

    /** status, export and score against the running stack. */
    /** The service binds 127.0.0.1: a non-loopback address of this machine, if it has one, is refused. */
    private static void assertLoopbackOnly(RunningService service) throws Exception {
        assertEquals("127.0.0.1", service.context().getProperty("micronaut.server.host", String.class).orElse(null));
        int port = java.net.URI.create(service.url()).getPort();
        java.util.Optional<java.net.InetAddress> lan = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst();
        if (lan.isPresent()) {
            assertThrows(IOException.class, () -> new java.net.Socket(lan.get(), port).close(), "reachable on " + lan.get());
        }
    }

    private static String run1Account(ByteArrayOutputStream account) {
        return account.toString(StandardCharsets.UTF_8);
    }

    private static void checkClientCommands(StackSession session, Path dataDir) throws Exception {
        WarmCliTest.Run status = WarmCliTest.run("status", "--bootstrap-servers", session.stack().bootstrapServers(),
                "--registry-url", session.stack().registryUrl());
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains("average default: v"), status.out());
        assertTrue(status.out().contains("warm.preferences "), status.out());

        Path out = Files.createTempDirectory("export").resolve("model");
        WarmCliTest.Run export = WarmCliTest.run("export", "--data-dir", dataDir.toString(), "--version", "1", "--out", out.toString());
        assertEquals(0, export.exit(), export.err());
        assertTrue(export.out().contains("exported default v1") && export.out().contains("verified, signature checked"),
                export.out());
        // Signing is on by default: the trainer signed the checkpoint, the merger checked it and signed v1.
        assertTrue(Files.isRegularFile(out.resolve("warmstream.sig")), "v1 is signed");
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("config.json")));

        String scorer = session.stack().service("scorer").orElseThrow().url();
        // No key on the command line: warm score finds the reader key in the data directory.
        WarmCliTest.Run score = WarmCliTest.run("score", "--scorer-url", scorer, "--data-dir", dataDir.toString(),
                "--prompt", "Summarize: the cat sat.", "--response", "A cat sat.");
        assertEquals(0, score.exit(), score.err());
        assertTrue(score.out().matches("(?s)-?\\d+\\.\\d+ +\\(WARM v\\d+\\)\\s*"), score.out());

        Path pairs = Files.createTempFile("pairs", ".jsonl");
        Files.writeString(pairs, "{\"prompt\":\"p1\",\"response\":\"r1\",\"tag\":\"a\"}\nnot json\n\n{\"prompt\":\"p2\",\"response\":\"r2\"}\n");
        WarmCliTest.Run anonymous = WarmCliTest.run("score", "--scorer-url", scorer, "--data-dir", pairs.getParent().toString(),
                "--input", pairs.toString());
        assertEquals(1, anonymous.exit(), "no key: refused");
        assertTrue(anonymous.err().contains("HTTP 401"), anonymous.err());
        WarmCliTest.Run file = WarmCliTest.run("score", "--scorer-url", scorer, "--input", pairs.toString(),
                "--api-key", session.stack().secrets().key(Roles.READER));
        assertEquals(3, file.exit(), file.err());
        assertTrue(file.err().contains("line 2: not valid JSON"), file.err());
        String[] lines = file.out().trim().split("\n");
        assertEquals(2, lines.length, file.out());
        assertTrue(lines[0].startsWith("{\"prompt\":\"p1\",\"response\":\"r1\",\"tag\":\"a\",\"reward\":"), lines[0]);
        assertTrue(lines[1].contains("\"modelVersion\":"), lines[1]);
    }

    private static WarmModelPublished awaitVersion(KafkaSettings kafka, long version) throws InterruptedException {
        List<WarmModelPublished> versions = TopicReader.awaitValue(kafka, Topics.MODELS,
                kafka.serdes().valueDeserializer(WarmModelPublished.class), v -> v.getVersion() >= version, WAIT);
        return versions.stream().filter(v -> v.getVersion() >= version).findFirst()
                .orElseThrow(() -> new AssertionError("no WARM version " + version + " within " + WAIT + "; saw " + versions));
    }

    /** The scorer loads a published version in the background; it answers 503 until then. */
    private static ScorerClient.Score awaitScore(ScorerClient scorer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return scorer.score(List.of(new ScorerClient.Pair("Summarize: the cat sat on the mat.", "A cat sat."))).get(0);
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting for " + what);
            Thread.sleep(250);
        }
    }
}
