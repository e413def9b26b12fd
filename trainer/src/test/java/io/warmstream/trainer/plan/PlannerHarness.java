package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.platform.PlainAvroSerde;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The planner's topology in TopologyTestDriver with both inputs: labels in, run events in (as workers would
 * publish them), jobs out; the wall clock is the driver's, starting at {@link #T0}.
 */
final class PlannerHarness implements AutoCloseable {

    static final String LABELS = "labels";
    static final String JOBS = "jobs";
    static final String RUNS = "runs";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> labels;
    private final TestInputTopic<String, byte[]> runs;
    private final TestOutputTopic<String, TrainingJob> jobs;
    private final PlainAvroSerde<TrainingRunEvent> runValues = new PlainAvroSerde<>(TrainingRunEvent.class);
    private Instant now = T0;
    private int next;

    PlannerHarness(PlannerSettings settings) {
        StreamsBuilder b = new StreamsBuilder();
        TrainingJobPlanner.build(b, settings);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-capacity-test");
        try {
            p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("planner-capacity").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(b.build(), p, T0);
        labels = driver.createInputTopic(LABELS, new ByteArraySerializer(), new ByteArraySerializer());
        runs = driver.createInputTopic(RUNS, new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createOutputTopic(JOBS, new StringDeserializer(), new PlainAvroSerde<>(TrainingJob.class));
    }

    /** Settings with these triggers and capacity; the rest as in {@link TrainingJobPlannerTest}. */
    static PlannerSettings settings(int perJob, Duration interval, int minLabels, DataSelection selection, int window,
                                    CapacitySettings capacity, PlannerEvents events) {
        return new PlannerSettings(LABELS, JOBS, "default", perJob, interval, minLabels, Duration.ofSeconds(1),
                selection, window, 0.05, "salt", "tiny:3", true, 0, HyperparameterGrid.paperDefaults(),
                new PlainAvroSerde<>(TrainingJob.class), capacity, events);
    }

    static CapacitySettings capacity(int perWorker, int minWorkers, Duration workerTtl, Duration jobTimeout) {
        return new CapacitySettings(RUNS, new PlainAvroSerde<>(TrainingRunEvent.class), perWorker, minWorkers,
                workerTtl, jobTimeout);
    }

    /** {@code n} new labels; their offsets are 0, 1, 2, ... in partition 0. */
    void labels(int n) {
        for (int i = 0; i < n; i++) {
            String id = "label-" + next++;
            labels.pipeInput(id.getBytes(StandardCharsets.UTF_8), ("value of " + id).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Labels piped so far. */
    int labelCount() {
        return next;
    }

    /** A run event of {@code type} for {@code jobId} by {@code worker}, stamped with the driver's wall clock. */
    void run(String type, String jobId, String worker) {
        TrainingRunEvent e = TrainingRunEvent.newBuilder().setJobId(jobId).setWorker(worker).setType(type).setTime(now)
                .setStep(null).setTotalSteps(null).setLoss(null).setPairsPerSecond(null).setDevice(null)
                .setReason("SKIPPED".equals(type) ? "superseded by a test" : null).build();
        runs.pipeInput(jobId, runValues.serialize(RUNS, e), now);
    }

    void rawRunRecord(String key, byte[] value) {
        runs.pipeInput(key, value, now);
    }

    /** Moves the wall clock (punctuations fire). */
    void advance(Duration d) {
        now = now.plus(d);
        driver.advanceWallClockTime(d);
    }

    List<TrainingJob> read() {
        return jobs.readRecordsToList().stream().map(TestRecord::value).toList();
    }

    /** Exactly one job is out now; returns it. */
    TrainingJob one() {
        List<TrainingJob> out = read();
        if (out.size() != 1) {
            throw new AssertionError("expected one job, got " + out.stream().map(TrainingJob::getJobId).toList());
        }
        return out.get(0);
    }

    PlannerState state() {
        return driver.<String, PlannerState>getKeyValueStore(TrainingJobPlanner.STORE).get("default");
    }

    @Override
    public void close() {
        driver.close();
    }

    /** What the planner told its {@link PlannerEvents}, in order. */
    static final class Heard implements PlannerEvents {
        final List<String> planned = new ArrayList<>();
        final List<String> deferred = new ArrayList<>();
        long leftOut;
        int pendingJobs = -1;
        int liveWorkers = -1;

        @Override
        public void planned(TrainingJob job, String trigger) {
            planned.add(trigger);
        }

        @Override
        public void capacity(String average, int pending, int live) {
            pendingJobs = pending;
            liveWorkers = live;
        }

        @Override
        public void deferred(String average, String trigger) {
            deferred.add(trigger);
        }

        @Override
        public void leftOut(String average, long labels) {
            leftOut += labels;
        }
    }
}
