package io.warmstream.schemas;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.embedded.OutageProxy;
import io.warmstream.events.ScoreRequest;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Producers keep writing while the registry is away once they know a schema's id (issue 14: `warm chaos` saw ingest
 * answer 503 for every label of a 60 s registry outage, because the cached id was re-resolved every 30 s and the
 * failed re-resolution failed the record).
 */
@ExtendWith(EmbeddedInfraExtension.class)
class SchemaIdCacheOutageTest {

    @Test
    void aKnownSchemaIdOutlivesARegistryOutage(EmbeddedRegistry registry) throws Exception {
        try (OutageProxy proxy = new OutageProxy("127.0.0.1", URI.create(registry.url()).getPort())) {
            String url = "http://127.0.0.1:" + proxy.port() + "/apis/ccompat/v7";
            SchemaRegistration.registerAll(url, List.of(Topics.spec(Topics.SCORE_REQUESTS)));
            EventSerdes serdes = new EventSerdes(Map.of(EventSerdes.REGISTRY_URL, url,
                    EventSerdes.PROPERTIES_PREFIX + "apicurio.registry.check-period-ms", "200"));
            Serializer<ScoreRequest> serializer = serdes.valueSerializer(ScoreRequest.class);
            byte[] before = serializer.serialize(Topics.SCORE_REQUESTS, SchemaIdCachingSerializerTest.request(1));

            proxy.down();
            Thread.sleep(500); // past the check period: the id is due to be resolved again
            byte[] during = serializer.serialize(Topics.SCORE_REQUESTS, SchemaIdCachingSerializerTest.request(1));
            assertArrayEquals(before, during, "the same frame and bytes as before the outage");

            proxy.up();
            Thread.sleep(500);
            byte[] after = serializer.serialize(Topics.SCORE_REQUESTS, SchemaIdCachingSerializerTest.request(2));
            assertArrayEquals(Arrays.copyOf(before, 5), Arrays.copyOf(after, 5));
            assertEquals(0, after[0]);
            serializer.close();
        }
    }
}
