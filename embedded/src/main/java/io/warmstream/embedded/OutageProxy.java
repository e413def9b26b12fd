package io.warmstream.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of a real service (the embedded registry, say) that a test can take down and bring back
 * on the same port: {@link #down()} closes the listening socket and every open connection, so clients get connection
 * refused exactly as from a stopped service; {@link #up()} listens again. The service behind keeps its state (the
 * registry its schema ids), which a restarted in-memory registry would not. While down, the port stays bound by a
 * socket that does not listen: a freed port may be handed to any other socket on the machine, and a client meant to
 * find nothing there reaches whatever took it (a CI run once saw a registration succeed in the middle of an outage).
 */
public final class OutageProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private Thread acceptor;
    private Socket portHolder;

    /** Starts listening on a free loopback port, forwarding to {@code targetHost:targetPort}. */
    public OutageProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = listen(0);
    }

    /** The port clients connect to; the same across {@link #down()} and {@link #up()}. */
    public int port() {
        return port;
    }

    /** Refuses connections and cuts the open ones, until {@link #up()}. */
    public synchronized void down() {
        ServerSocket s = server;
        server = null;
        closeQuietly(s);
        for (Socket c : open) {
            closeQuietly(c);
        }
        open.clear();
        if (s != null) {
            awaitAcceptorEnd(); // a socket closed while another thread accepts on it lets go of its port in that thread
            portHolder = holdPort();
        }
    }

    /** Accepts connections again on the same port. */
    public synchronized void up() {
        if (server == null) {
            closeQuietly(portHolder);
            portHolder = null;
            listen(port);
        }
    }

    private void awaitAcceptorEnd() {
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bound socket that never listens: connections are refused, and the port is not handed to another socket. */
    private Socket holdPort() {
        try {
            Socket holder = new Socket();
            holder.setReuseAddress(true); // the cut connections leave TIME_WAIT entries on this port
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return holder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep port " + port + " while down", e);
        }
    }

    private int listen(int onPort) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            server = s;
            Thread accept = new Thread(() -> accept(s), "outage-proxy-" + s.getLocalPort());
            accept.setDaemon(true);
            accept.start();
            acceptor = accept;
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + onPort, e);
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket target = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(target);
                pump(client, target);
                pump(target, client);
            } catch (IOException e) {
                return; // closed by down() or close()
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "outage-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }

    @Override
    public synchronized void close() {
        down();
        closeQuietly(portHolder);
        portHolder = null;
    }
}
