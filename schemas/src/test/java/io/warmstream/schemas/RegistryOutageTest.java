package io.warmstream.schemas;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unreachable registry is retried later; bad bytes are not. */
class RegistryOutageTest {

    /** Shaped like the registry clients' exception: an HTTP status, or none when no answer came. */
    static final class RestClientException extends RuntimeException {
        private final Integer status;

        RestClientException(Integer status) {
            super("registry said " + status);
            this.status = status;
        }

        public Integer getStatus() {
            return status;
        }
    }

    @Test
    void networkFailuresAndServerErrorsAreOutages() {
        assertTrue(RegistryOutage.isOutage(new SerializationException("x", new ConnectException("refused"))));
        assertTrue(RegistryOutage.isOutage(new SerializationException("x",
                new RuntimeException(new HttpConnectTimeoutException("slow")))));
        assertTrue(RegistryOutage.isOutage(new SerializationException("x", new RestClientException(503))));
        assertTrue(RegistryOutage.isOutage(new SerializationException("x", new RestClientException(429))));
    }

    @Test
    void badBytesAndMissingSchemasAreNot() {
        assertFalse(RegistryOutage.isOutage(new SerializationException("unknown magic byte")));
        assertFalse(RegistryOutage.isOutage(new SerializationException("x", new RestClientException(404))));
        assertFalse(RegistryOutage.isOutage(new SerializationException("x", new IOException("truncated avro"))),
                "a plain IOException from decoding is the record's fault");
    }
}
