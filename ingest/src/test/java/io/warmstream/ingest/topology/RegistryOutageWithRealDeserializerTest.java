package io.warmstream.ingest.topology;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.Labels;
import io.warmstream.schemas.RegistryOutage;
import io.warmstream.schemas.EventSerdes;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the real registry deserializer throws must be classified right: unreachable registry = retry, bad bytes = DLQ. */
class RegistryOutageWithRealDeserializerTest {

    @Test
    void unreachableRegistryIsTransientAndBadBytesAreNot() throws Exception {
        // A bound socket that never listens: connections are refused, and no other socket can be given the port
        // during the test (a closed one's port may be handed on at once).
        try (Socket deadPort = new Socket()) {
            deadPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            classifiesWithTheRegistryAt(deadPort.getLocalPort());
        }
    }

    private static void classifiesWithTheRegistryAt(int deadPort) {
        Deserializer<PreferenceLabel> deserializer = EventSerdes.forRegistry("http://127.0.0.1:" + deadPort + "/apis/ccompat/v7")
                .valueDeserializer(PreferenceLabel.class);
        byte[] framed = new WireFormatSerde().serializer().serialize("t", Labels.valid("x"));

        RuntimeException down = assertThrows(RuntimeException.class, () -> deserializer.deserialize("t", framed));
        assertTrue(RegistryOutage.isOutage(down), () -> "not classified as transient: " + chain(down));

        RuntimeException poison = assertThrows(RuntimeException.class, () -> deserializer.deserialize("t", "not avro".getBytes()));
        assertFalse(RegistryOutage.isOutage(poison), () -> "poison classified as transient: " + chain(poison));
    }

    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (; t != null; t = t.getCause()) b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" <- ");
        return b.toString();
    }
}
