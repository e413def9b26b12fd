package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.testkit.Await;
import io.warmstream.trainer.kafka.WorkerService;
import io.warmstream.trainer.work.WorkerStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker process killed with SIGKILL and restarted under the same id gets its partitions back at once (static
 * membership), not after the consumer session timeout: the dead process never left the group, and without a
 * stable instance id the group would wait for its session to expire before any rebalance completes.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerRestartTest {

    private static final String ID = "restart-a";
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(120);

    private TrainerTestKit kit;
    private Process process;
    private EmbeddedServer restarted;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("restart", broker, registry);
    }

    @AfterAll
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (restarted != null) {
            restarted.getApplicationContext().close();
        }
        if (kit != null) {
            kit.close();
        }
    }

    private Map<String, Object> workerProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.trainer.planner.enabled", false);
        p.put("warm.trainer.provision-topics", false);
        p.put("warm.trainer.worker.id", ID);
        p.put("warm.trainer.worker.consumer.session.timeout.ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
        return kit.properties(p);
    }

    @Test
    void aKilledWorkerRestartedUnderItsIdGetsItsPartitionsBackBeforeTheSessionTimeout() throws Exception {
        Path log = Files.createTempFile("trainer-restart-", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path")));
        workerProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-Dmicronaut.server.port=-1");
        command.add(TrainerApplication.class.getName());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        String group = kit.properties(Map.of()).get("warm.trainer.worker.group-id").toString();
        Await.until("the worker process's partitions", WAIT, Duration.ofMillis(250), () -> {
            assertTrue(process.isAlive(), "the worker process died: " + Files.readString(log));
            return assignedTo(group) >= 1;
        });

        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kill -9 took effect");

        long restartedAt = System.nanoTime();
        restarted = TrainerTestKit.start(workerProperties());
        WorkerStatus status = restarted.getApplicationContext().getBean(WorkerService.class).worker().status();
        int partitions;
        try (Admin admin = kit.kafka.admin("restart-topics")) {
            partitions = admin.describeTopics(List.of(kit.jobs)).allTopicNames().get().get(kit.jobs).partitions().size();
        }
        Await.until("the restarted worker's partitions", WAIT, Duration.ofMillis(100),
                () -> status.assignedPartitions() >= partitions);
        Duration back = Duration.ofNanos(System.nanoTime() - restartedAt);
        assertTrue(back.compareTo(SESSION_TIMEOUT.dividedBy(3)) < 0,
                "partitions back after " + back.toMillis() + " ms; the session timeout is " + SESSION_TIMEOUT);
        assertEquals(1, members(group).size(), "the restarted process took the dead one's place");
    }

    private List<MemberDescription> members(String group) throws Exception {
        try (Admin admin = kit.kafka.admin("restart-admin")) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return new ArrayList<>(d.members());
        }
    }

    /** Partitions assigned in {@code group}; 0 while the group does not exist yet. */
    private int assignedTo(String group) throws Exception {
        try {
            return members(group).stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }
}
