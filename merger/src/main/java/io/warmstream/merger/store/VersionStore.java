package io.warmstream.merger.store;

import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.DirectoryTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The average's version directories in the checkpoint store, kept in line with its published state: reconciliation
 * when a merger becomes the owner, the retention sweep between publications, and deletion of what no kept version
 * uses. Members' directories (the trainers' checkpoints) are never touched. Used on the merger's thread only.
 */
public final class VersionStore {

    private static final Logger LOG = LoggerFactory.getLogger(VersionStore.class);

    private final String average;
    private final CheckpointStore store;
    private final VersionRetention retention;
    private final Path workDir;

    /** @param workDir the merger's scratch space for candidate versions, emptied when it becomes the owner */
    public VersionStore(String average, CheckpointStore store, VersionRetention retention, Path workDir) {
        this.average = average;
        this.store = store;
        this.retention = retention;
        this.workDir = workDir;
    }

    /**
     * The store as the recovered state expects it: kept versions whose directory is gone leave the list; version
     * directories a crash left behind (deleted from the list, not yet from the store, or written and never published)
     * are deleted, and so are candidates left in the work directory. Version keys are deterministic, so they can be
     * found without listing the store.
     */
    public AverageState reconcile(AverageState s) {
        List<KeptEntry> kept = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (KeptEntry k : s.kept()) {
            if (k.version() == s.version() || exists(k.uri())) {
                kept.add(k);
                used.add(k.uri());
            }
        }
        List<String> orphans = new ArrayList<>();
        String unpublished = uriOf(s.version() + 1);
        if (exists(unpublished)) {
            orphans.add(unpublished);
        }
        long oldest = kept.stream().mapToLong(KeptEntry::version).min().orElse(s.version() + 1);
        for (long v = oldest - 1; v >= 1; v--) {
            String uri = uriOf(v);
            if (!exists(uri)) {
                break;
            }
            if (!used.contains(uri)) {
                orphans.add(uri);
            }
        }
        delete(orphans, "left behind by an earlier owner");
        DirectoryTree.deleteContents(workDir);
        return s.withKept(kept);
    }

    /** Retention between publications: versions whose grace ran out leave the kept list and the store. */
    public AverageState sweep(AverageState s, Instant now) {
        VersionRetention.Sweep sweep = retention.sweep(s.kept(), now);
        if (!sweep.changes(s.kept())) {
            return s;
        }
        delete(sweep.deleteUris(), "retention");
        return s.withKept(sweep.retained());
    }

    /** Deletes version directories no kept version uses (after the version that dropped them is committed). */
    public void deleteDropped(List<String> uris) {
        delete(uris, "retention");
    }

    private void delete(List<String> uris, String why) {
        for (String uri : uris) {
            try {
                store.delete(URI.create(uri));
                LOG.info("average {}: deleted {} ({})", average, uri, why);
            } catch (RuntimeException e) {
                LOG.warn("average {}: cannot delete {} ({}); a later sweep retries", average, uri, e.toString());
            }
        }
    }

    private String uriOf(long version) {
        return store.uriOf(StoreLayout.versionKey(average, version)).toString();
    }

    private boolean exists(String uri) {
        try {
            return store.exists(URI.create(uri));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
