package io.warmstream.local.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven built, from a filtered resource: what {@code warm --version} and each command's print. */
public final class WarmVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = WarmVersion.class.getResourceAsStream("/warmstream/local/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"warm " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
