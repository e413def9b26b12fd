package io.warmstream.trainer.work;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * Whether a serde failure means "the schema registry could not be reached" (retry later) rather than "these bytes
 * are bad" (dead-letter or skip). Connection failures and timeouts anywhere in the cause chain, and registry client
 * exceptions that carry an HTTP 5xx or 429 or no HTTP answer at all, count as an outage; an I/O error of decoding
 * (a truncated record) does not. Registry client types are read by
 * reflection so that neither serde flavour must be on the classpath.
 */
final class RegistryOutage {

    private static final Set<String> NO_ANSWER = Set.of("ConnectException", "UnknownHostException",
            "NoRouteToHostException", "SocketTimeoutException", "HttpConnectTimeoutException", "HttpTimeoutException",
            "SocketException", "ClosedChannelException", "EOFException", "IOException", "InterruptedIOException");

    private RegistryOutage() {
    }

    static boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return true;
            }
            if (isRestClientException(t.getClass()) && registryDidNotServe(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean registryDidNotServe(Throwable t) {
        Object error = invoke(t, "getError"); // Apicurio: an Error with errorCode, or name of the Java exception
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
