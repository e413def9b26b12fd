package io.warmstream.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP reverse proxy on a loopback port that forwards every request to {@code upstream} only if it carries
 * the expected {@code Authorization} header (HTTP Basic or a bearer token), and answers 401 otherwise.
 *
 * <p>Apicurio Registry 2.6 authenticates only through an external OpenID Connect server (Keycloak); this stands in
 * front of it so tests can show that registry credentials set in the serde settings really reach the registry,
 * and that a client without them is turned away. It is not meant for production traffic.
 */
public final class AuthenticatingHttpProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatingHttpProxy.class);
    /** Headers Java's HTTP client sets itself and refuses to be given. */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "authorization", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String upstream;
    private final byte[] expected;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    private AuthenticatingHttpProxy(String upstream, String expectedAuthorization) throws IOException {
        this.upstream = upstream.replaceAll("/+$", "");
        this.expected = expectedAuthorization.getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "warm-auth-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Demands HTTP Basic {@code user:password} before forwarding to {@code upstream} (scheme, host and port). */
    public static AuthenticatingHttpProxy basic(String upstream, String user, String password) {
        String header = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return create(upstream, header);
    }

    /** Demands {@code Authorization: Bearer <token>} before forwarding to {@code upstream}. */
    public static AuthenticatingHttpProxy bearer(String upstream, String token) {
        return create(upstream, "Bearer " + token);
    }

    private static AuthenticatingHttpProxy create(String upstream, String header) {
        try {
            return new AuthenticatingHttpProxy(upstream, header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the authenticating proxy", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: use it in place of the upstream's scheme, host and port. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered 401 so far. */
    public int refused() {
        return refused.get();
    }

    /** Requests forwarded to the upstream so far. */
    public int forwarded() {
        return forwarded.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String given = exchange.getRequestHeaders().getFirst("Authorization");
            // Constant-time comparison: the proxy must not tell how much of a guess was right.
            if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                byte[] body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            forwarded.incrementAndGet();
            HttpResponse<byte[]> r = forward(exchange);
            r.headers().map().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = r.body();
            exchange.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("proxying {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            throw e;
        } finally {
            exchange.close();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                for (String v : values) {
                    b.header(name, v);
                }
            }
        });
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "AuthenticatingHttpProxy[" + url() + " -> " + upstream + "]";
    }
}
