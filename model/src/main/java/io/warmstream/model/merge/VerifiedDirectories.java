package io.warmstream.model.merge;

import io.warmstream.model.weights.ModelDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model directories this folder has already verified (or written itself), with the size, modification time and
 * inode of each of their files at that moment. Folding again with such a directory (the average written by the
 * last fold, the SLERP init, sliding-window members) needs no new SHA-256 pass over its weights, which is a third
 * of a fold's CPU: any rewrite, replacement or truncation since then changes a stamp and brings the full check
 * back. Only silent media corruption would go unseen, and every other reader (scorer, a restarted merger) hashes
 * in full.
 */
final class VerifiedDirectories {

    private static final List<String> FILES = List.of(ModelDirectory.WEIGHTS_FILE, ModelDirectory.CONFIG_FILE,
            ModelDirectory.TOKENIZER_FILE, ModelDirectory.MANIFEST_FILE);
    /** Enough for an init, a window of members and a few averages; the oldest is forgotten first. */
    private static final int REMEMBERED = 64;

    private record Stamp(long size, long modifiedNanos, Object fileKey) {
    }

    /** The stamps of a directory's files at one moment. */
    record Snapshot(Path dir, List<Stamp> stamps) {
    }

    private final Map<Path, List<Stamp>> stamps = new LinkedHashMap<>();

    /**
     * Take before verifying, so that a change during the verification is not taken for the verified state.
     * Null when a file is missing (verification then says which).
     */
    static Snapshot snapshot(Path dir) {
        try {
            return new Snapshot(dir.toAbsolutePath().normalize(), stampsOf(dir));
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    synchronized void remember(Snapshot snapshot) {
        if (snapshot == null) {
            return;
        }
        stamps.remove(snapshot.dir());
        stamps.put(snapshot.dir(), snapshot.stamps());
        while (stamps.size() > REMEMBERED) {
            stamps.remove(stamps.keySet().iterator().next());
        }
    }

    /** True when dir was verified or written here and none of its files changed since. */
    synchronized boolean unchanged(Path dir) {
        List<Stamp> known = stamps.get(dir.toAbsolutePath().normalize());
        if (known == null) {
            return false;
        }
        try {
            return known.equals(stampsOf(dir));
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static List<Stamp> stampsOf(Path dir) {
        List<Stamp> out = new ArrayList<>();
        for (String name : FILES) {
            try {
                BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
                out.add(new Stamp(a.size(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                        + a.lastModifiedTime().toInstant().getNano(), a.fileKey()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
