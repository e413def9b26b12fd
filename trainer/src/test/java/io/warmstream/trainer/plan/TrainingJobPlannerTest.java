package io.warmstream.trainer.plan;

import io.warmstream.events.Hyperparameters;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.platform.PlainAvroSerde;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner's topology in TopologyTestDriver: triggers, exact ranges, deterministic ids and draws, data selection. */
class TrainingJobPlannerTest {

    private static final String LABELS = "labels";
    private static final String JOBS = "jobs";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    private static PlannerSettings settings(int perJob, Duration interval, int min, DataSelection selection, int window,
                                            String average, long baseSeed) {
        return new PlannerSettings(LABELS, JOBS, average, perJob, interval, min, Duration.ofSeconds(1), selection,
                window, 0.05, "salt", "tiny:3", true, baseSeed, HyperparameterGrid.paperDefaults(),
                new PlainAvroSerde<>(TrainingJob.class), unlimited(), PlannerEvents.NONE);
    }

    /** These tests are about triggers and content; capacity has its own test ({@link PlannerCapacityTest}). */
    static CapacitySettings unlimited() {
        return new CapacitySettings("runs", new PlainAvroSerde<>(TrainingRunEvent.class), 0, 1, Duration.ofMinutes(5),
                Duration.ofHours(1));
    }

    private static PlannerSettings countOnly(int perJob, DataSelection selection, int window) {
        return settings(perJob, Duration.ofDays(1), 1, selection, window, "default", 0);
    }

    private final class Run {
        final TopologyTestDriver driver;
        final TestInputTopic<byte[], byte[]> labels;
        final TestOutputTopic<String, TrainingJob> jobs;
        int next;

        Run(PlannerSettings s) {
            StreamsBuilder b = new StreamsBuilder();
            TrainingJobPlanner.build(b, s);
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-test-" + drivers.size());
            try {
                p.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("planner-test").toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            driver = new TopologyTestDriver(b.build(), p, T0);
            drivers.add(driver);
            labels = driver.createInputTopic(LABELS, new ByteArraySerializer(), new ByteArraySerializer());
            jobs = driver.createOutputTopic(JOBS, new StringDeserializer(), new PlainAvroSerde<>(TrainingJob.class));
        }

        void labels(int n) {
            for (int i = 0; i < n; i++) {
                String id = "label-" + next++;
                labels.pipeInput(id.getBytes(StandardCharsets.UTF_8), ("value of " + id).getBytes(StandardCharsets.UTF_8));
            }
        }

        List<TestRecord<String, TrainingJob>> read() {
            return jobs.readRecordsToList();
        }
    }

    private static OffsetRange range(int partition, long start, long end) {
        return new OffsetRange(LABELS, partition, start, end);
    }

    @Test
    void countTriggerEmitsOneJobPerNLabelsWithExactRanges() {
        Run run = new Run(countOnly(5, DataSelection.ALL, 1));
        run.labels(4);
        assertTrue(run.read().isEmpty(), "4 of 5 labels: no job yet");
        run.labels(8); // 12 in all: jobs at 5 and 10
        List<TestRecord<String, TrainingJob>> out = run.read();
        assertEquals(2, out.size());
        TrainingJob first = out.get(0).value();
        TrainingJob second = out.get(1).value();
        assertEquals(first.getJobId(), out.get(0).key(), "keyed by job id");
        assertEquals(List.of(range(0, 0, 5)), first.getRanges());
        assertEquals(5, first.getLabelCount());
        assertEquals(List.of(range(0, 0, 10)), second.getRanges(), "ALL: every label so far");
        assertEquals(10, second.getLabelCount());
        assertEquals("ALL", second.getDataSelection());
        assertTrue(first.getJobId().startsWith("default-000001-"), first.getJobId());
        assertTrue(second.getJobId().startsWith("default-000002-"), second.getJobId());
        assertEquals(0.05, first.getValidationFraction());
        assertEquals("salt", first.getValidationSalt());
        assertEquals("tiny:3", first.getBaseModel());
        assertEquals(T0, first.getCreatedAt());
        // every member of the average shares one head, fitted from the first job's labels
        assertTrue(first.getSharedHead().startsWith("heads/default/"), first.getSharedHead());
        assertEquals(first.getSharedHead(), second.getSharedHead());
        assertEquals(List.of(range(0, 0, 5)), first.getSharedHeadRanges());
        assertEquals(List.of(range(0, 0, 5)), second.getSharedHeadRanges());
        assertNotEquals(first.getSeed(), second.getSeed());
        run.labels(2);
        assertTrue(run.read().isEmpty(), "2 pending labels wait for the next trigger");
    }

    @Test
    void timeTriggerFiresAfterTheIntervalOnlyWithTheMinimumCount() {
        Run run = new Run(settings(100, Duration.ofSeconds(10), 3, DataSelection.ALL, 1, "default", 0));
        run.labels(2);
        run.driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertTrue(run.read().isEmpty(), "2 labels are below the minimum of 3, however long they wait");
        run.labels(1);
        run.driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<TestRecord<String, TrainingJob>> out = run.read();
        assertEquals(1, out.size(), "3 labels, the oldest waiting 31 s");
        assertEquals(3, out.get(0).value().getLabelCount());
        assertEquals(List.of(range(0, 0, 3)), out.get(0).value().getRanges());
        assertEquals(T0.plusSeconds(31), out.get(0).value().getCreatedAt());

        run.labels(3);
        run.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertTrue(run.read().isEmpty(), "the oldest new label has waited 5 s of 10");
        run.driver.advanceWallClockTime(Duration.ofSeconds(6));
        out = run.read();
        assertEquals(1, out.size());
        assertEquals(List.of(range(0, 0, 6)), out.get(0).value().getRanges());
        assertEquals(6, out.get(0).value().getLabelCount());
        run.driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertTrue(run.read().isEmpty(), "nothing new, no job");
    }

    @Test
    void newestWindowCoversTheLastTriggersOnly() {
        Run window = new Run(countOnly(4, DataSelection.NEWEST_WINDOW, 2));
        window.labels(13);
        List<TestRecord<String, TrainingJob>> jobs = window.read();
        assertEquals(3, jobs.size());
        assertEquals(List.of(range(0, 0, 4)), jobs.get(0).value().getRanges());
        assertEquals(List.of(range(0, 0, 8)), jobs.get(1).value().getRanges());
        assertEquals(List.of(range(0, 4, 12)), jobs.get(2).value().getRanges(), "triggers 2 and 3 only");
        assertEquals(8, jobs.get(2).value().getLabelCount());
        assertEquals("NEWEST_WINDOW", jobs.get(2).value().getDataSelection());
        assertEquals(List.of(range(0, 0, 4)), jobs.get(2).value().getSharedHeadRanges(), "the head stays the first job's");

        Run all = new Run(countOnly(4, DataSelection.ALL, 2));
        all.labels(13);
        List<TestRecord<String, TrainingJob>> allJobs = all.read();
        assertEquals(List.of(range(0, 0, 12)), allJobs.get(2).value().getRanges());
        assertEquals(12, allJobs.get(2).value().getLabelCount());
    }

    @Test
    void jobIdsSeedsAndDrawsAreFunctionsOfContent() {
        Run a = new Run(countOnly(3, DataSelection.ALL, 1));
        Run b = new Run(countOnly(3, DataSelection.ALL, 1));
        a.labels(9);
        b.labels(9);
        List<TrainingJob> ja = a.read().stream().map(TestRecord::value).toList();
        List<TrainingJob> jb = b.read().stream().map(TestRecord::value).toList();
        assertEquals(3, ja.size());
        assertEquals(ja, jb, "same labels, same settings: identical jobs (id, seed, hyperparameters, head)");
        Set<String> ids = new HashSet<>();
        for (TrainingJob j : ja) {
            ids.add(j.getJobId());
            assertEquals(JobIdentity.seed("default", Long.parseLong(j.getJobId().split("-")[1]), 0), j.getSeed());
            Hyperparameters hp = j.getHyperparameters();
            assertEquals(HyperparameterGrid.paperDefaults().draw(j.getSeed()), hp, "the draw is the seed's");
            assertTrue(List.of(1e-5, 4e-5, 1e-4).contains(hp.getLearningRate()), hp.toString());
            assertTrue(List.of(0.05, 0.1).contains(hp.getDropout()), hp.toString());
            assertEquals(16, hp.getBatchSize());
            assertEquals(128, hp.getMaxSequenceLength());
        }
        assertEquals(3, ids.size());

        Run other = new Run(settings(3, Duration.ofDays(1), 1, DataSelection.ALL, 1, "other", 0));
        other.labels(3);
        TrainingJob o = other.read().get(0).value();
        assertTrue(o.getJobId().startsWith("other-000001-"));
        assertNotEquals(ja.get(0).getSeed(), o.getSeed(), "another average draws other seeds");
        assertNotEquals(ja.get(0).getSharedHead(), o.getSharedHead(), "and has its own head");

        Run reseeded = new Run(settings(3, Duration.ofDays(1), 1, DataSelection.ALL, 1, "default", 42));
        reseeded.labels(3);
        TrainingJob r = reseeded.read().get(0).value();
        assertEquals(ja.get(0).getRanges(), r.getRanges());
        assertNotEquals(ja.get(0).getSeed(), r.getSeed());
        assertNotEquals(ja.get(0).getJobId(), r.getJobId(), "the id covers the seed");
    }

    @Test
    void withoutSharedHeadJobsNameNone() {
        PlannerSettings s = countOnly(2, DataSelection.ALL, 1);
        PlannerSettings noHead = new PlannerSettings(s.labelsTopic(), s.jobsTopic(), s.average(), s.labelsPerJob(),
                s.interval(), s.minLabels(), s.checkInterval(), s.dataSelection(), s.windowTriggers(),
                s.validationFraction(), s.validationSalt(), s.baseModel(), false, s.baseSeed(), s.grid(), s.jobSerde(),
                s.capacity(), null);
        Run run = new Run(noHead);
        run.labels(2);
        TrainingJob job = run.read().get(0).value();
        assertNull(job.getSharedHead());
        assertEquals(List.of(), job.getSharedHeadRanges());
    }

    @Test
    void plannerEventsHearOfEveryJob() {
        List<String> heard = new ArrayList<>();
        PlannerSettings s = countOnly(2, DataSelection.ALL, 1);
        Run run = new Run(new PlannerSettings(s.labelsTopic(), s.jobsTopic(), s.average(), s.labelsPerJob(),
                s.interval(), s.minLabels(), s.checkInterval(), s.dataSelection(), s.windowTriggers(),
                s.validationFraction(), s.validationSalt(), s.baseModel(), true, s.baseSeed(), s.grid(), s.jobSerde(),
                s.capacity(), (job, trigger) -> heard.add(job.getJobId() + "/" + trigger)));
        run.labels(4);
        List<TestRecord<String, TrainingJob>> jobs = run.read();
        assertEquals(List.of(jobs.get(0).key() + "/count", jobs.get(1).key() + "/count"), heard);
        assertEquals(Map.of(), jobs.get(0).value().getHyperparameters().getExtra());
    }
}
