package io.warmstream.scorer.serving;

import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.DependencyOutages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps track of every version of one average it is told about, and on one background thread loads the newest
 * version that is newer than the serving one, has not failed and was not withheld by the merger's quality gate, then
 * installs it in {@link HotSwappedModel}. A withheld version is listed but never loaded: the serving one stays.
 * A version that fails is reported and retried with bounded exponential backoff ({@link Retry}) while it is newer than
 * the serving one: without end if it could not be fetched (store unreachable, or its directory absent for the
 * moment the filesystem store swaps it), once if its files did not verify or load (a read that raced a swap), after
 * which it is the model's fault and final. Meanwhile, when nothing serves yet, the next older version is tried.
 * Versions offered while a load runs are coalesced: only the newest is loaded next.
 *
 * <p>Version numbers only go up: a tombstone on {@code warm.models} does not reset them (the merger numbers on past
 * it), so the serving version stays until a higher one arrives.
 *
 * <p>In ENS mode the members of each installed version are loaded after the swap, so ENS never delays WARM; a newer
 * version waiting to load pre-empts them.
 *
 * <p>Longer than most classes because loading, retrying, withheld versions and ENS members share one version table and one loader thread; split apart they would need locks between them.
 */
public final class ModelUpdater implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelUpdater.class);
    private static final int KEEP_VERSIONS = 1_000;

    /** ENS settings: off, or on with a cap on members (each member is a full model in memory). */
    public record EnsembleSettings(boolean enabled, int maxMembers) {
        public static final EnsembleSettings OFF = new EnsembleSettings(false, 0);
    }

    /**
     * What the updater knows of one version. State: {@code serving}, {@code loading}, {@code seen} (newer than the
     * serving one, not loaded yet), {@code retired} (served before), {@code skipped} (older than the serving one,
     * never loaded), {@code withheld} (by the merger's quality gate, never loaded) or {@code failed} (with the
     * failure).
     */
    public record VersionState(ModelVersion version, String state, LoadFailure failure) {
    }

    /** How failed loads are retried, and where store outages are reported (health, metrics). */
    public record Retry(Backoff backoff, DependencyOutages outages) {
    }

    /** A failed read of a complete directory is retried this often in all before it counts as the model's fault. */
    private static final int VERIFY_ATTEMPTS = 2;

    private final HotSwappedModel hot;
    private final ModelLoader loader;
    private final EnsembleSettings ensemble;
    private final Clock clock;
    private final TreeMap<Long, ModelVersion> seen = new TreeMap<>();
    private final Map<Long, LoadFailure> failed = new TreeMap<>();
    private final java.util.Set<Long> served = new java.util.HashSet<>();
    private final Retry retry;
    private final Map<Long, Integer> attempts = new java.util.HashMap<>();
    /** Failed versions that will be tried again, with the System.nanoTime() from which they may be. */
    private final Map<Long, Long> retryAt = new java.util.HashMap<>();
    private final Thread worker;
    private final CandidatePreloader preloader;
    private boolean active;
    private boolean closed;

    /**
     * @param startActive false to collect versions without loading until {@link #activate()} (a follower catching
     *                    up on the topic loads only the newest version, not each old one on the way)
     */
    public ModelUpdater(HotSwappedModel hot, ModelLoader loader, EnsembleSettings ensemble, Clock clock, boolean startActive,
                        Retry retry) {
        this.hot = hot;
        this.retry = retry;
        this.loader = loader;
        this.preloader = new CandidatePreloader(loader);
        this.ensemble = ensemble;
        this.clock = clock;
        this.active = startActive;
        this.worker = new Thread(this::run, "warm-scorer-loader");
        worker.setDaemon(true);
        worker.start();
    }

    /** Records a version (other averages are ignored) and wakes the loader if it is newer than the serving one. */
    public synchronized void offer(ModelVersion v) {
        if (!v.average().equals(hot.average())) {
            return;
        }
        seen.put(v.version(), v);
        if (v.withheld()) {
            LOG.info("{} v{} was withheld by the merger's quality gate: listed, not loaded", v.average(), v.version());
        }
        while (seen.size() > KEEP_VERSIONS) {
            long dropped = seen.pollFirstEntry().getKey();
            failed.remove(dropped);
            served.remove(dropped);
            attempts.remove(dropped);
            retryAt.remove(dropped);
        }
        notifyAll();
    }

    /**
     * A candidate of {@code version} the merger announced before publishing it: loaded ahead, when nothing newer is
     * known, so its publication swaps it in at once ({@link CandidatePreloader}). Other averages are ignored.
     */
    public synchronized void offerCandidate(String average, long version, java.net.URI uri, String sha256) {
        if (!average.equals(hot.average()) || seen.containsKey(version)
                || version <= hot.currentVersion().orElse(Long.MIN_VALUE)) {
            return;
        }
        if (preloader.offer(new CandidatePreloader.Candidate(version, uri, sha256))) {
            notifyAll();
        }
    }

    /** The version whose candidate is loaded ahead of its publication now, or -1. */
    public long preloadedVersion() {
        return preloader.loadedVersion();
    }

    /** Candidates loaded ahead of their publication since start. */
    public long candidatesLoadedAhead() {
        return preloader.loadedCount();
    }

    /** Starts loading (once the follower has read up to the end of the topic). */
    public synchronized void activate() {
        active = true;
        notifyAll();
    }

    /** Every known version, newest first, with its state. */
    public synchronized List<VersionState> versions() {
        List<VersionState> out = new ArrayList<>(seen.size());
        long serving = hot.currentVersion().orElse(-1);
        long loading = hot.loading().orElse(-1);
        for (ModelVersion v : seen.descendingMap().values()) {
            long n = v.version();
            LoadFailure f = failed.get(n);
            // serving first: a load that succeeds swaps the model in before it clears the version's failed tries
            String state = v.withheld() ? "withheld" : n == serving ? "serving"
                    : f != null ? (retryAt.containsKey(n) ? "retrying" : "failed")
                    : n == loading ? "loading"
                    : n < serving ? (served.contains(n) ? "retired" : "skipped") : "seen";
            out.add(new VersionState(v, state, f));
        }
        return out;
    }

    /** The version with this number, if this updater has seen it. */
    public synchronized Optional<ModelVersion> version(long version) {
        return Optional.ofNullable(seen.get(version));
    }

    /** The newest version this updater has seen, served or not. */
    public synchronized Optional<ModelVersion> newest() {
        return seen.isEmpty() ? Optional.empty() : Optional.of(seen.lastEntry().getValue());
    }

    /** The outages (checkpoint store) this updater is waiting out, for health and metrics. */
    public DependencyOutages outages() {
        return retry.outages();
    }

    /** What the loader does next: load a published version, or (nothing published waiting) a candidate ahead. */
    private record Work(ModelVersion version, CandidatePreloader.Candidate candidate) {
    }

    private synchronized Work nextWork() throws InterruptedException {
        while (true) {
            if (closed) {
                return null;
            }
            if (active) {
                ModelVersion c = candidate();
                if (c != null) {
                    return new Work(c, null);
                }
                CandidatePreloader.Candidate ahead = preloader.next(hot.currentVersion().orElse(Long.MIN_VALUE));
                if (ahead != null && !seen.containsKey(ahead.version())) {
                    return new Work(null, ahead);
                }
            }
            wait(active ? millisToNextRetry() : 0); // 0: until offered, activated or closed
        }
    }

    /**
     * The newest version above the serving one that was not withheld and has not failed, or failed and is due for
     * another try; null if none.
     */
    private ModelVersion candidate() {
        long serving = hot.currentVersion().orElse(Long.MIN_VALUE);
        long now = System.nanoTime();
        for (ModelVersion v : seen.descendingMap().values()) {
            if (v.version() <= serving) {
                return null;
            }
            Long due = retryAt.get(v.version());
            if (!v.withheld() && (!failed.containsKey(v.version()) || (due != null && now - due >= 0))) {
                return v;
            }
        }
        return null;
    }

    /** Until the earliest retry of a version newer than the serving one; 0 (wait for news) if none is pending. */
    private long millisToNextRetry() {
        long serving = hot.currentVersion().orElse(Long.MIN_VALUE);
        long now = System.nanoTime();
        long best = Long.MAX_VALUE;
        for (Map.Entry<Long, Long> e : retryAt.entrySet()) {
            if (e.getKey() > serving) {
                best = Math.min(best, Math.max(1, (e.getValue() - now) / 1_000_000 + 1));
            }
        }
        return best == Long.MAX_VALUE ? 0 : best;
    }

    private synchronized boolean newerWaiting(long than) {
        ModelVersion c = candidate();
        return c != null && c.version() > than;
    }

    private void run() {
        while (true) {
            Work w;
            try {
                w = nextWork();
            } catch (InterruptedException e) {
                return;
            }
            if (w == null) {
                return;
            }
            if (w.candidate() != null) {
                preloader.preload(w.candidate());
                continue;
            }
            ServingModel installed = load(w.version());
            if (installed != null && ensemble.enabled()) {
                loadEnsemble(installed);
            }
        }
    }

    private ServingModel load(ModelVersion v) {
        hot.loading(v.version());
        long start = System.nanoTime();
        try {
            RewardFunction ahead = preloader.adopt(v);
            RewardFunction f = ahead != null ? ahead : loader.load(v.uri(), v.sha256());
            retry.outages().up(DependencyOutages.Dependency.STORE); // it answered: up before the swap anyone may see
            ServingModel m = new ServingModel(v, f, clock.instant(), ahead != null);
            if (ensemble.enabled()) {
                m.ensembleState(ensembleStatusBeforeLoad(v));
            }
            if (!hot.install(m)) {
                m.release(); // an equal or newer version got there first
                return null;
            }
            synchronized (this) {
                served.add(v.version());
                failed.remove(v.version());
                attempts.remove(v.version());
                retryAt.remove(v.version());
            }
            preloader.discardUpTo(v.version());
            LOG.info("loaded {} v{} from {} in {} ms{}", v.average(), v.version(), v.uri(),
                    (System.nanoTime() - start) / 1_000_000, ahead != null ? " (its candidate was loaded ahead)" : "");
            return m;
        } catch (LoadException e) {
            fail(v, e.stage(), e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            fail(v, "load", e.toString(), e);
        } finally {
            hot.loadDone();
        }
        return null;
    }

    private EnsembleStatus ensembleStatusBeforeLoad(ModelVersion v) {
        int n = v.members().size();
        if (n == 0) {
            return EnsembleStatus.unavailable(0, "the version lists no members");
        }
        if (n > ensemble.maxMembers()) {
            return EnsembleStatus.unavailable(n, n + " members exceed warm.scorer.ens.max-members=" + ensemble.maxMembers());
        }
        return EnsembleStatus.loading(n);
    }

    private void loadEnsemble(ServingModel m) {
        ModelVersion v = m.version();
        if (!m.ensembleStatus().state().equals("loading")) {
            return;
        }
        List<RewardFunction> members = new ArrayList<>();
        try {
            for (ModelVersion.MemberInfo member : v.members()) {
                if (newerWaiting(v.version()) || m.isClosed()) {
                    m.ensembleState(EnsembleStatus.unavailable(v.members().size(), "superseded by a newer version before its members loaded"));
                    closeAll(members);
                    return;
                }
                try {
                    members.add(loader.load(member.uri(), member.sha256()));
                } catch (LoadException e) {
                    String msg = "member " + member.jobId() + ": " + e.getMessage();
                    m.ensembleState(EnsembleStatus.failed(v.members().size(), msg));
                    hot.loadFailed(new LoadFailure(v.average(), v.version(), "ensemble", msg, clock.instant()));
                    closeAll(members);
                    return;
                }
            }
            Ensemble e = new Ensemble(members);
            if (!m.attach(e)) {
                e.close();
            } else {
                LOG.info("ENS for {} v{}: {} members loaded", v.average(), v.version(), members.size());
                hot.grew();
            }
        } catch (RuntimeException | Error e) {
            m.ensembleState(EnsembleStatus.failed(v.members().size(), e.toString()));
            closeAll(members);
        }
    }

    private static void closeAll(List<RewardFunction> fs) {
        for (RewardFunction f : fs) {
            f.close();
        }
    }

    /**
     * Records a failed load and when to try it again: a fetch that failed (store unreachable, directory absent) is
     * retried with backoff for as long as the version is the one to serve; a read of its files that failed is retried
     * once (it may have raced a directory swap) and is final after that.
     */
    private void fail(ModelVersion v, String stage, String message, Throwable cause) {
        LoadFailure f = new LoadFailure(v.average(), v.version(), stage, message, clock.instant());
        if (StoreUnavailableException.isCause(cause)) {
            retry.outages().down(DependencyOutages.Dependency.STORE, message);
        }
        synchronized (this) {
            failed.put(v.version(), f);
            int n = attempts.merge(v.version(), 1, Integer::sum);
            if (stage.equals("fetch") || n < VERIFY_ATTEMPTS) {
                retryAt.put(v.version(), System.nanoTime() + retry.backoff().delay(n).toNanos());
                LOG.warn("{} v{} did not load ({} attempt {}): {}; retrying in {} ms", v.average(), v.version(), stage,
                        n, message, retry.backoff().delay(n).toMillis());
            } else {
                retryAt.remove(v.version());
            }
        }
        hot.loadFailed(f);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            worker.join(60_000); // a load in progress finishes first (native code cannot be interrupted safely)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        preloader.close();
    }
}
