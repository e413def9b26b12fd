package io.warmstream.ingest.topology;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * Tells an unreachable registry apart from bad bytes. Only failures to reach the registry are transient; everything
 * else a deserializer throws (bad magic byte, unknown schema id, truncated Avro) is a property of the record and
 * goes to the dead-letter topic.
 */
final class TransientFailures {

    private static final long PAUSE_MS = 1_000;

    private TransientFailures() {
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
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
