package io.warmstream.local.chaos;

import io.warmstream.eval.world.Candidate;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.Task;
import io.warmstream.local.client.ScorerClient;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated RL client per scorer, each scoring a few candidates every {@code every}; a refused connection is
 * retried once, anything else that is not a 2xx answer with every reward is a failure, recorded with its time and
 * its scorer.
 */
final class ScoringClients implements AutoCloseable {

    /** A request that failed after its one retry. */
    record Failure(long at, String scorer, String error) {
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastSuccess = new ConcurrentHashMap<>();
    private final AtomicLong succeeded = new AtomicLong();
    private volatile boolean stopping;

    ScoringClients(PreferenceWorld world, Map<String, ScorerClient> scorers, Duration every) {
        for (Map.Entry<String, ScorerClient> e : scorers.entrySet()) {
            Thread t = new Thread(() -> run(world, e.getKey(), e.getValue(), every), "chaos-scoring-" + e.getKey());
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    long succeeded() {
        return succeeded.get();
    }

    /** When the scorer last answered a request in full (0: never). */
    long lastSuccess(String scorer) {
        return lastSuccess.getOrDefault(scorer, 0L);
    }

    private void run(PreferenceWorld world, String name, ScorerClient client, Duration every) {
        long round = 0;
        while (!stopping) {
            Task task = world.task(Split.VALIDATION_ID, round);
            List<ScorerClient.Pair> pairs = new ArrayList<>();
            for (Candidate c : world.candidates(task, 4, round)) {
                pairs.add(new ScorerClient.Pair(task.prompt(), c.text()));
            }
            try {
                score(client, pairs);
                succeeded.incrementAndGet();
                lastSuccess.put(name, System.currentTimeMillis());
            } catch (IOException | RuntimeException e) {
                failures.add(new Failure(System.currentTimeMillis(), name, e.toString()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            round++;
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void score(ScorerClient client, List<ScorerClient.Pair> pairs) throws IOException, InterruptedException {
        try {
            client.score(pairs);
        } catch (ConnectException refused) {
            Thread.sleep(200);
            client.score(pairs); // the one retry a client gets on a refused connection
        }
    }

    @Override
    public void close() {
        stopping = true;
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
