package io.warmstream.merger.store;

import io.warmstream.model.store.CheckpointStore;

import java.net.URI;

/**
 * How the merger reads a model location from an event: an absolute URI ({@code file:/...}) as it is, anything else
 * as a key in the merger's own checkpoint store (the trainers' convention for relative locations).
 */
public final class StoreUris {

    private StoreUris() {
    }

    public static URI resolve(CheckpointStore store, String location) {
        return location.contains(":/") ? URI.create(location) : store.uriOf(location);
    }
}
