package io.warmstream.ingest.topology;

import java.io.InterruptedIOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Set;

/**
 * Tells an unreachable registry apart from bad bytes. Only failures to reach the registry (network errors, 5xx,
 * 429) are transient; everything else a deserializer throws (bad magic byte, unknown schema id = 404, truncated Avro)
 * is a property of the record and goes to the dead-letter topic.
 * <p>
 * Registry clients report HTTP failures in their own exception types, which are looked at by reflection so that
 * neither serde flavour has to be on the classpath: Apicurio's {@code RestClientException.getError()} carries an
 * HTTP {@code errorCode} (none when the request never got an answer, with the Java exception's simple name in
 * {@code name}, e.g. {@code ConnectException}); Confluent's carries {@code getStatus()}.
 */
final class TransientFailures {

    private static final long PAUSE_MS = 1_000;
    private static final Set<String> NETWORK_ERRORS = Set.of("ConnectException", "UnknownHostException",
            "NoRouteToHostException", "SocketTimeoutException", "HttpConnectTimeoutException", "HttpTimeoutException",
            "ClosedChannelException", "SocketException", "IOException", "InterruptedIOException", "EOFException");

    private TransientFailures() {
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof InterruptedIOException) {
                return true;
            }
            if (isTransientRegistryAnswer(t)) return true;
        }
        return false;
    }

    private static boolean isTransientRegistryAnswer(Throwable t) {
        if (!t.getClass().getName().contains("RestClientException") && !hasRestClientSuperclass(t.getClass())) return false;
        Object error = call(t, "getError");
        if (error != null) { // Apicurio
            Object code = call(error, "getErrorCode");
            if (code instanceof Integer status) return status >= 500 || status == 429;
            Object name = call(error, "getName");
            return name != null && NETWORK_ERRORS.contains(name.toString());
        }
        Object status = call(t, "getStatus"); // Confluent
        return status instanceof Integer s && (s >= 500 || s == 429);
    }

    private static boolean hasRestClientSuperclass(Class<?> c) {
        for (Class<?> k = c.getSuperclass(); k != null; k = k.getSuperclass()) {
            if (k.getName().endsWith("RestClientException")) return true;
        }
        return false;
    }

    private static Object call(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A short back-off so a replaced stream thread does not spin while the registry is down. */
    static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
