package io.warmstream.embedded;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutageProxyTest {

    @Test
    void aDownedProxyRefusesConnectionsAndKeepsItsPortUntilItIsUp() throws Exception {
        try (ServerSocket echo = echoServer(); OutageProxy proxy = new OutageProxy("127.0.0.1", echo.getLocalPort())) {
            proxy.down();
            assertThrows(ConnectException.class, () -> roundTrip(proxy.port(), "while down"));
            try (ServerSocket intruder = new ServerSocket()) {
                intruder.setReuseAddress(false);
                assertThrows(BindException.class, () -> intruder.bind(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port())),
                        "the port of a downed proxy was free for any process to take");
            }

            proxy.up();
            assertEquals("ping", roundTrip(proxy.port(), "ping"));

            proxy.down(); // now with connections cut, whose closed ends wait on the port
            assertThrows(ConnectException.class, () -> roundTrip(proxy.port(), "down again"));
            proxy.up();
            assertEquals("pong", roundTrip(proxy.port(), "pong"));
        }
    }

    @Test
    void aClosedProxyFreesItsPort() throws Exception {
        int port;
        try (ServerSocket echo = echoServer(); OutageProxy proxy = new OutageProxy("127.0.0.1", echo.getLocalPort())) {
            port = proxy.port();
            proxy.down();
        }
        try (ServerSocket next = new ServerSocket()) {
            next.setReuseAddress(true);
            next.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertEquals(port, next.getLocalPort());
        }
    }

    private static String roundTrip(int port, String text) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write((text + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** Answers each connection's first line with that line, then closes it. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
                    String line = in.readLine();
                    c.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo");
        t.setDaemon(true);
        t.start();
        return server;
    }
}
