package io.warmstream.schemas;

import java.io.InterruptedIOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Set;

/**
 * Tells "the schema registry could not be reached" (retry later) apart from "these bytes are bad" (dead-letter or
 * skip) in what a serde throws. Connection failures and timeouts anywhere in the cause chain, and registry client
 * exceptions that carry an HTTP 5xx or 429 or no HTTP answer at all, are an outage; everything else (bad magic byte,
 * unknown schema id = 404, truncated Avro) is a property of the record.
 * <p>
 * Registry clients report HTTP failures in their own exception types, read here by reflection so that neither serde
 * flavour has to be on the classpath: Apicurio's {@code RestClientException.getError()} carries an HTTP
 * {@code errorCode} (none when the request never got an answer, with the Java exception's simple name in
 * {@code name}, e.g. {@code ConnectException}); Confluent's carries {@code getStatus()}.
 */
public final class RegistryOutage {

    private static final Set<String> NO_ANSWER = Set.of("ConnectException", "UnknownHostException",
            "NoRouteToHostException", "SocketTimeoutException", "HttpConnectTimeoutException", "HttpTimeoutException",
            "SocketException", "ClosedChannelException", "EOFException", "IOException", "InterruptedIOException");

    private RegistryOutage() {
    }

    public static boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // InterruptedIOException covers SocketTimeoutException; HttpTimeoutException covers connect timeouts.
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof HttpTimeoutException || t instanceof InterruptedIOException) {
                return true;
            }
            if (isRestClientException(t.getClass()) && registryDidNotServe(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean registryDidNotServe(Throwable t) {
        Object error = invoke(t, "getError"); // Apicurio
        if (error != null) {
            Object code = invoke(error, "getErrorCode");
            if (code instanceof Integer status) {
                return status >= 500 || status == 429;
            }
            Object name = invoke(error, "getName");
            return name != null && NO_ANSWER.contains(name.toString());
        }
        Object status = invoke(t, "getStatus"); // Confluent
        return status instanceof Integer s && (s >= 500 || s == 429);
    }

    private static boolean isRestClientException(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getSimpleName().equals("RestClientException")) {
                return true;
            }
        }
        return false;
    }

    private static Object invoke(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
