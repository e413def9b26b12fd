package io.warmstream.scorer.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.concurrent.CompletableFuture;

/**
 * Cancels a request's queued work when its client closes the connection (gave up, timed out, crashed), so the
 * scorer never spends minutes computing answers nobody will read. Micronaut does not cancel a controller's
 * CompletableFuture when the connection closes, so the Netty channel is watched directly.
 */
final class ClientGone {

    private ClientGone() {
    }

    /** Cancels {@code work} if the request's connection closes first; the watch ends when {@code work} completes. */
    static void cancelOnClose(HttpRequest<?> request, CompletableFuture<?> work) {
        if (!(request instanceof NettyHttpRequest<?> netty)) {
            return;
        }
        Channel channel = netty.getChannelHandlerContext().channel();
        ChannelFutureListener gone = f -> work.cancel(false);
        channel.closeFuture().addListener(gone); // runs at once if the connection is already closed
        work.whenComplete((r, e) -> channel.closeFuture().removeListener(gone)); // keep-alive: no listener piles up
    }
}
