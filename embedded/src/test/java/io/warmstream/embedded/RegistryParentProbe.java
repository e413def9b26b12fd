package io.warmstream.embedded;

/** Started as a separate JVM by {@link EmbeddedRegistryTest}: starts a registry, prints its URL, then waits to be killed. */
public final class RegistryParentProbe {

    private RegistryParentProbe() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedRegistry registry = EmbeddedRegistry.start();
        System.out.println("URL " + registry.url());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
