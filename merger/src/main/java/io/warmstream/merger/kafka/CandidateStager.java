package io.warmstream.merger.kafka;

import io.warmstream.events.ModelCandidate;
import io.warmstream.merger.fold.CandidateStaging;
import io.warmstream.merger.store.StoreLayout;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.DirectoryTree;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stores each candidate under {@link StoreLayout#candidateKey} (signed like every directory the merger stores) and
 * announces it on {@link Topics#MODEL_CANDIDATES}, on a thread of its own while the held-out checks run, so scorers
 * load the version before it is published. Why: a scorer's load (read, hash and verify the weights, build the
 * runtime) took as long as the merger's checks, and ran after them.
 *
 * <p>The candidate's weights are hard-linked (copied where links fail) into a staging directory before
 * {@link #stage} returns, so the checks may delete the candidate. Only the newest candidate is kept in the store:
 * the previous one (and the previous version's, which a former run may have left) is deleted when a newer one is
 * stored. Nothing here can fail a fold; a failure is logged and the scorer loads the version after its publication.
 * The announcement is outside the merger's transactions: it is a hint, and the scorer serves nothing until the
 * version's {@code WarmModelPublished}.
 */
public final class CandidateStager implements CandidateStaging, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateStager.class);

    private final CheckpointStore store;
    private final Producer<String, ModelCandidate> producer;
    private final Path workDir;
    private final Clock clock;
    private final ExecutorService executor;
    private String storedKey; // the candidate kept in the store now; the executor's thread only

    public CandidateStager(CheckpointStore store, Producer<String, ModelCandidate> producer, Path workDir, Clock clock) {
        this.store = store;
        this.producer = producer;
        this.workDir = workDir;
        this.clock = clock;
        // One thread, a short queue: candidates come one per checkpoint, seconds apart. One that finds the queue
        // full is dropped with its staging directory (it is loaded after its publication instead).
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(4), r -> {
            Thread t = new Thread(r, "warm-merger-stager");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> {
            if (r instanceof Staged s) {
                DirectoryTree.delete(s.dir());
            }
        });
    }

    @Override
    public void stage(String average, long version, int generation, Path dir, String sha256) {
        Path staged = workDir.resolve("staged-" + average + "-v" + version + "-" + System.nanoTime());
        try {
            snapshot(dir, staged);
        } catch (IOException | RuntimeException e) {
            LOG.info("candidate v{} not staged ({}); scorers load it once published", version, e.toString());
            DirectoryTree.delete(staged);
            return;
        }
        executor.execute(new Staged(average, version, generation, staged, sha256));
    }

    /** A candidate snapshot waiting to be stored and announced. */
    private final class Staged implements Runnable {
        private final String average;
        private final long version;
        private final int generation;
        private final Path dir;
        private final String sha256;

        Staged(String average, long version, int generation, Path dir, String sha256) {
            this.average = average;
            this.version = version;
            this.generation = generation;
            this.dir = dir;
            this.sha256 = sha256;
        }

        Path dir() {
            return dir;
        }

        @Override
        public void run() {
            storeAndAnnounce(average, version, generation, dir, sha256);
        }
    }

    private void storeAndAnnounce(String average, long version, int generation, Path staged, String sha256) {
        long start = System.nanoTime();
        String key = StoreLayout.candidateKey(average, version);
        try {
            URI uri = store.put(key, staged);
            // The one stored before, and after a restart the previous version's (the last a former run staged).
            for (String old : java.util.Arrays.asList(storedKey, StoreLayout.candidateKey(average, version - 1))) {
                if (old != null && !old.equals(key) && store.exists(store.uriOf(old))) {
                    store.delete(store.uriOf(old));
                }
            }
            storedKey = key;
            producer.send(new ProducerRecord<>(Topics.MODEL_CANDIDATES, average, ModelCandidate.newBuilder()
                    .setAverage(average).setVersion(version).setGeneration(generation).setUri(uri.toString())
                    .setSha256(sha256).setStagedAt(clock.instant()).build()), (meta, e) -> {
                        if (e != null) {
                            LOG.info("candidate v{} stored but not announced ({})", version, e.toString());
                        }
                    });
            LOG.debug("candidate v{} staged at {} in {} ms", version, uri, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.info("candidate v{} not staged ({}); scorers load it once published", version, e.toString());
        } finally {
            DirectoryTree.delete(staged);
        }
    }

    /** Links the weights (the bulk, never rewritten) and copies the small files, which later steps may rewrite. */
    private static void snapshot(Path dir, Path staged) throws IOException {
        Files.createDirectories(staged);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = staged.resolve(f.getFileName().toString());
                if (f.getFileName().toString().equals(ModelDirectory.WEIGHTS_FILE)) {
                    try {
                        Files.createLink(to, f);
                        continue;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another filesystem, or no hard links: copy
                    }
                }
                Files.copy(f, to);
            }
        }
        if (!Files.isRegularFile(staged.resolve(ModelDirectory.MANIFEST_FILE))) {
            throw new IOException("the candidate at " + dir + " has no " + ModelDirectory.MANIFEST_FILE);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
