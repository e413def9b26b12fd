package io.warmstream.scorer.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@code warm.models} records this scorer has read, oldest first, bounded to a number of entries, for clients
 * that follow model updates over HTTP instead of Kafka. An entry's id is its offset on the (single-partition,
 * compacted) topic, so a client that reconnects with the last id it saw gets exactly what it missed, as long as
 * the log still holds it. Subscribers are told of each new entry on the follower's thread: they must not block.
 */
public final class ModelEventLog {

    /**
     * One record of warm.models: {@code type} is published, withheld or deleted (a tombstone), {@code json} the
     * record's value as JSON (for a tombstone, just its key).
     */
    public record Entry(long id, String key, String type, String json) {
    }

    /**
     * What a new subscriber gets: the entries after its id that the log still holds, whether older ones it asked
     * for are gone, and {@code cancel} to stop hearing of new ones.
     */
    public record Subscription(List<Entry> backlog, boolean gap, Runnable cancel) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Consumer<Entry>> subscribers = new CopyOnWriteArrayList<>();
    private long evictedUpTo = -1;

    public ModelEventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Records one topic record and tells every subscriber. Ids at or below the newest one are ignored (re-reads). */
    public synchronized void append(Entry e) {
        if (!entries.isEmpty() && e.id() <= entries.peekLast().id()) {
            return;
        }
        entries.addLast(e);
        while (entries.size() > capacity) {
            evictedUpTo = entries.removeFirst().id();
        }
        for (Consumer<Entry> s : subscribers) {
            s.accept(e);
        }
    }

    /**
     * Registers {@code listener} for entries to come and returns those after {@code afterId} (-1: all it holds).
     * Both happen under one lock, so no entry is missed or delivered twice between the two.
     */
    public synchronized Subscription subscribe(long afterId, Consumer<Entry> listener) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.id() > afterId) {
                out.add(e);
            }
        }
        subscribers.add(listener);
        return new Subscription(out, afterId < evictedUpTo, () -> subscribers.remove(listener));
    }

    public int subscribers() {
        return subscribers.size();
    }

    public synchronized int size() {
        return entries.size();
    }
}
