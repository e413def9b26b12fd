package io.warmstream.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

@ExtendWith(EmbeddedInfraExtension.class)
class EmbeddedInfraExtensionTest {

    private final EmbeddedKafka constructorKafka;

    EmbeddedInfraExtensionTest(EmbeddedKafka kafka) {
        this.constructorKafka = kafka;
    }

    @Test
    void injectsOneSharedBrokerAndRegistry(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        assertSame(constructorKafka, kafka);
        assertSame(EmbeddedInfraExtension.kafka(), kafka);
        assertSame(EmbeddedInfraExtension.registry(), registry);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertNotNull(admin.describeCluster().clusterId().get());
            assertEquals(1, admin.describeCluster().nodes().get().size());
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registry.apicurioUrl() + "/system/info")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Nested
    class AnotherTestClass {
        @Test
        void seesTheSameInstances(EmbeddedKafka kafka, EmbeddedRegistry registry) {
            assertSame(constructorKafka, kafka);
            assertSame(EmbeddedInfraExtension.registry(), registry);
        }
    }
}
