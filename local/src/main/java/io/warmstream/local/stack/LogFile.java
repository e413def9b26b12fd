package io.warmstream.local.stack;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends every service's log to one file, so the console of {@code warm demo} and {@code warm up} carries only the
 * live account.
 */
public final class LogFile {

    private static final String CONFIG = "/warmstream/local/logback-stack.xml";

    private LogFile() {
    }

    /** Reconfigures logback to append to {@code file}; does nothing when another SLF4J backend is bound. */
    public static void redirectTo(Path file) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        URL config = LogFile.class.getResource(CONFIG);
        context.reset();
        context.putProperty("warm.log.file", file.toAbsolutePath().toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + config, e);
        }
    }
}
