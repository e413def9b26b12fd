package io.warmstream.scorer.serving;

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
 * A version that fails is reported and never retried; when nothing serves yet (a restart whose newest version is
 * broken) the next older version is tried instead. Versions offered while a load runs are coalesced: only the newest
 * is loaded next.
 *
 * <p>In ENS mode the members of each installed version are loaded after the swap, so ENS never delays WARM; a newer
 * version waiting to load pre-empts them.
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

    private final HotSwappedModel hot;
    private final ModelLoader loader;
    private final EnsembleSettings ensemble;
    private final Clock clock;
    private final TreeMap<Long, ModelVersion> seen = new TreeMap<>();
    private final Map<Long, LoadFailure> failed = new TreeMap<>();
    private final java.util.Set<Long> served = new java.util.HashSet<>();
    private final Thread worker;
    private boolean active;
    private boolean wake;
    private boolean closed;

    /**
     * @param startActive false to collect versions without loading until {@link #activate()} (a follower catching
     *                    up on the topic loads only the newest version, not each old one on the way)
     */
    public ModelUpdater(HotSwappedModel hot, ModelLoader loader, EnsembleSettings ensemble, Clock clock, boolean startActive) {
        this.hot = hot;
        this.loader = loader;
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
        }
        wake = true;
        notifyAll();
    }

    /** Starts loading (once the follower has read up to the end of the topic). */
    public synchronized void activate() {
        active = true;
        wake = true;
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
            String state = v.withheld() ? "withheld" : f != null ? "failed" : n == serving ? "serving"
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

    private synchronized ModelVersion nextCandidate() throws InterruptedException {
        while (true) {
            if (closed) {
                return null;
            }
            if (active && wake) {
                ModelVersion c = candidate();
                if (c != null) {
                    return c;
                }
                wake = false;
            }
            wait();
        }
    }

    /** The newest version above the serving one that has not failed and was not withheld, or null. */
    private ModelVersion candidate() {
        long serving = hot.currentVersion().orElse(Long.MIN_VALUE);
        for (ModelVersion v : seen.descendingMap().values()) {
            if (v.version() <= serving) {
                return null;
            }
            if (!failed.containsKey(v.version()) && !v.withheld()) {
                return v;
            }
        }
        return null;
    }

    private synchronized boolean newerWaiting(long than) {
        ModelVersion c = candidate();
        return c != null && c.version() > than;
    }

    private void run() {
        while (true) {
            ModelVersion v;
            try {
                v = nextCandidate();
            } catch (InterruptedException e) {
                return;
            }
            if (v == null) {
                return;
            }
            ServingModel installed = load(v);
            if (installed != null && ensemble.enabled()) {
                loadEnsemble(installed);
            }
        }
    }

    private ServingModel load(ModelVersion v) {
        hot.loading(v.version());
        long start = System.nanoTime();
        try {
            RewardFunction f = loader.load(v.uri(), v.sha256());
            ServingModel m = new ServingModel(v, f, clock.instant());
            if (ensemble.enabled()) {
                m.ensembleState(ensembleStatusBeforeLoad(v));
            }
            if (!hot.install(m)) {
                m.release(); // an equal or newer version got there first
                return null;
            }
            synchronized (this) {
                served.add(v.version());
            }
            LOG.info("loaded {} v{} from {} in {} ms", v.average(), v.version(), v.uri(), (System.nanoTime() - start) / 1_000_000);
            return m;
        } catch (LoadException e) {
            fail(v, e.stage(), e.getMessage());
        } catch (RuntimeException | Error e) {
            fail(v, "load", e.toString());
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

    private void fail(ModelVersion v, String stage, String message) {
        LoadFailure f = new LoadFailure(v.average(), v.version(), stage, message, clock.instant());
        synchronized (this) {
            failed.put(v.version(), f);
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
    }
}
