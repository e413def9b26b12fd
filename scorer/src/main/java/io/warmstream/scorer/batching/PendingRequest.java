package io.warmstream.scorer.batching;

import io.warmstream.scorer.serving.Ensemble;
import io.warmstream.scorer.serving.ModelLease;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.scorer.serving.ServingModel;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One admitted request inside {@link DynamicBatcher}: its items, its lease on a version, the tokens each item holds
 * in the budget, and how far it has got. {@code next} (items handed to model threads) and {@code running} (handed
 * out, not finished) are guarded by the {@link RequestQueue}'s lock; the lease is closed once, when nothing more
 * will run.
 */
final class PendingRequest {

    final ModelLease lease;
    final ServingModel model;
    final ScoreMode mode;
    final Origin origin;
    final List<String> prompts;
    final List<String> responses;
    final int tokensPerItem;
    final long admittedNanos;
    final float[] rewards;
    final float[] std;
    final CompletableFuture<Scores> future = new CompletableFuture<>();
    int next;
    int running;
    private boolean leaseClosed;

    PendingRequest(ModelLease lease, ScoreMode mode, Origin origin, List<String> prompts, List<String> responses,
                   int tokensPerItem, long admittedNanos) {
        this.lease = lease;
        this.model = lease.model();
        this.mode = mode;
        this.origin = origin;
        this.prompts = prompts;
        this.responses = responses;
        this.tokensPerItem = tokensPerItem;
        this.admittedNanos = admittedNanos;
        this.rewards = new float[prompts.size()];
        this.std = mode == ScoreMode.ENS ? new float[prompts.size()] : null;
    }

    int size() {
        return prompts.size();
    }

    int unstarted() {
        return size() - next;
    }

    boolean sameBatchAs(PendingRequest other) {
        return model == other.model && mode == other.mode;
    }

    /** Whether the request has ended (answered, failed, cancelled or expired): its remaining items are not wanted. */
    boolean ended() {
        return future.isDone();
    }

    /** Under the queue's lock: true exactly once, when no item is left to hand out or running. */
    boolean takeLeaseIfIdle() {
        if (!leaseClosed && next == size() && running == 0) {
            leaseClosed = true;
            return true;
        }
        return false;
    }

    /** After the last item: release the version, then answer (a no-op if the request already ended otherwise). */
    void finish() {
        int members = mode == ScoreMode.ENS ? lease.ensemble().map(Ensemble::size).orElse(0) : 0;
        Scores s = new Scores(lease.version().average(), lease.version().version(), mode, rewards, std, members);
        lease.close();
        future.complete(s);
    }

    /** Why the request ended early, for the cancelled-work metric. */
    static String reason(Throwable t) {
        Throwable e = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof CancellationException) {
            return "client_gone";
        }
        if (e instanceof DeadlineExceededException) {
            return "deadline";
        }
        if (e instanceof StoppingException) {
            return "stopping";
        }
        return "failed";
    }

    /** The scorer stopped before the request was scored. */
    static final class StoppingException extends IllegalStateException {
        StoppingException() {
            super("the scorer stopped before this request was scored");
        }
    }
}
