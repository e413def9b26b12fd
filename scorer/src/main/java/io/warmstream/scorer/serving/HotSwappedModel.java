package io.warmstream.scorer.serving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version being served, replaced atomically when a newer one has loaded. Readers take a {@link ModelLease}, which
 * keeps their version open until they close it, so a swap never fails or changes a request that already started;
 * the retired version is closed when its last lease closes.
 *
 * <p>Only versions newer than the current one are installed ({@link #install} refuses others), so versions go up
 * monotonically even if events arrive out of order.
 */
public final class HotSwappedModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HotSwappedModel.class);

    private final String average;
    private final ServingEvents events;
    private final Clock clock;
    private final AtomicReference<ServingModel> current = new AtomicReference<>();
    private volatile LoadFailure lastLoadError;
    private volatile long loading = -1;
    private volatile long swaps;
    private final RetainedVersions retained;

    public HotSwappedModel(String average, ServingEvents events, Clock clock) {
        this(average, events, clock, RetainedVersions.none());
    }

    /** @param retained where versions go when they stop serving, for requests pinned to them */
    public HotSwappedModel(String average, ServingEvents events, Clock clock, RetainedVersions retained) {
        this.average = average;
        this.events = events;
        this.clock = clock;
        this.retained = retained;
    }

    public HotSwappedModel(String average) {
        this(average, new ServingEvents(), Clock.systemUTC());
    }

    /** The name of the average this scorer serves. */
    public String average() {
        return average;
    }

    /** A lease on the serving version, or empty before the first version has loaded. */
    public Optional<ModelLease> lease() {
        while (true) {
            ServingModel m = current.get();
            if (m == null) {
                return Optional.empty();
            }
            Optional<ModelLease> lease = m.tryLease();
            if (lease.isPresent()) {
                return lease;
            }
            // Retired and closed between the read and the lease: the next read sees its successor.
            Thread.onSpinWait();
        }
    }

    /** As {@link #lease()}, throwing {@link NoModelException} when nothing is loaded yet. */
    public ModelLease leaseOrThrow() {
        return lease().orElseThrow(() -> new NoModelException(noModelMessage()));
    }

    /**
     * A lease on a pinned version: the serving one or one still retained ({@link RetainedVersions}); null means the
     * serving version ("latest").
     *
     * @throws NoModelException nothing is loaded yet
     * @throws VersionNotLoadedException the version is not loaded here, with the versions that are
     */
    public ModelLease leaseOrThrow(Long version) {
        if (version == null) {
            return leaseOrThrow();
        }
        ModelLease lease = leaseOrThrow();
        if (lease.version().version() == version) {
            return lease;
        }
        long serving = lease.version().version();
        lease.close();
        Optional<ModelLease> kept = retained.lease(version);
        if (kept.isPresent()) {
            return kept.get();
        }
        throw new VersionNotLoadedException(version, version < serving, loadedVersions());
    }

    /** Versions that can answer now, newest first: the serving one and those retained for pinned requests. */
    public List<Long> loadedVersions() {
        List<Long> out = new java.util.ArrayList<>();
        currentVersion().ifPresent(out::add);
        out.addAll(retained.versions());
        return out;
    }

    public RetainedVersions retained() {
        return retained;
    }

    /** The serving version grew (its ENS members loaded): retained versions are evicted if memory is over. */
    void grew() {
        retained.fit(current.get());
    }

    /**
     * WARM rewards from the serving version, computed on the calling thread (not through the request queue) and not
     * reported to {@link ServingListener#onBatchScored}: for monitors scoring fresh labels.
     */
    public Scores score(List<String> prompts, List<String> responses) {
        try (ModelLease lease = leaseOrThrow()) {
            float[] r = lease.score(prompts, responses);
            return new Scores(average, lease.version().version(), ScoreMode.WARM, r, null, 0);
        }
    }

    /** The serving version, if any. Do not score through it without a lease. */
    public Optional<ServingModel> current() {
        return Optional.ofNullable(current.get());
    }

    public OptionalLong currentVersion() {
        ServingModel m = current.get();
        return m == null ? OptionalLong.empty() : OptionalLong.of(m.version().version());
    }

    /**
     * Serves {@code next} from now on if it is newer than the current version: listeners hear of the swap, then the
     * previous version is released (closed once its leases are done). Returns false, leaving {@code next} to the
     * caller, if it is not newer.
     */
    public synchronized boolean install(ServingModel next) {
        ServingModel previous = current.get();
        if (previous != null && next.version().version() <= previous.version().version()) {
            return false;
        }
        current.set(next);
        swaps++;
        LOG.info("serving {} v{} (was {})", average, next.version().version(),
                previous == null ? "nothing" : "v" + previous.version().version());
        events.swapped(new ModelSwap(previous, next, clock.instant()));
        if (previous != null) {
            retained.keep(previous, next); // released at once when no version is to be retained
        }
        return true;
    }

    /** Swaps done since start. */
    public long swaps() {
        return swaps;
    }

    void loading(long version) {
        loading = version;
    }

    void loadDone() {
        loading = -1;
    }

    void loadFailed(LoadFailure failure) {
        lastLoadError = failure;
        LOG.warn("version {} of {} refused at {}: {}", failure.version(), failure.average(), failure.stage(), failure.message());
        events.loadFailed(failure);
    }

    /** The version being loaded in the background, if any. */
    public OptionalLong loading() {
        long v = loading;
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** The most recent version that failed to load (it stays reported after later versions load). */
    public Optional<LoadFailure> lastLoadError() {
        return Optional.ofNullable(lastLoadError);
    }

    public void addListener(ServingListener listener) {
        events.add(listener);
    }

    public void removeListener(ServingListener listener) {
        events.remove(listener);
    }

    public ServingEvents events() {
        return events;
    }

    private String noModelMessage() {
        StringBuilder sb = new StringBuilder("no version of average '" + average + "' is loaded yet");
        OptionalLong l = loading();
        if (l.isPresent()) {
            sb.append("; loading v").append(l.getAsLong());
        }
        LoadFailure f = lastLoadError;
        if (f != null) {
            sb.append("; v").append(f.version()).append(" failed: ").append(f.message());
        }
        return sb.toString();
    }

    /** Retires the serving version (closed when its last lease closes). */
    @Override
    public synchronized void close() {
        ServingModel m = current.getAndSet(null);
        if (m != null) {
            m.release();
        }
        retained.close();
    }
}
