package io.warmstream.local.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StreamExperimentSettingsTest {

    @Test
    void everyPresetRunsTheMergersDefaultStrategyAndReplaysAgainstUniform() throws Exception {
        String yml;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("warmstream/merger/application.yml")) {
            assertNotNull(in, "the merger's application.yml is on the classpath");
            yml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("strategy: \\$\\{WARM_MERGER_STRATEGY:([a-z-]+)}").matcher(yml);
        assertTrue(m.find(), "warm.merger.strategy in the merger's application.yml");
        assertEquals(m.group(1), StreamExperimentSettings.SERVICE_DEFAULT);
        for (String preset : List.of("cpu", "gpu", "tiny")) {
            StreamExperimentSettings s = StreamExperimentSettings.preset(preset, Path.of("out"));
            assertEquals(List.of(StreamExperimentSettings.SERVICE_DEFAULT), s.strategies(), preset);
            // paired differences are read against WARM's uniform mean, the replay's first strategy
            assertEquals("uniform", s.replayStrategies().get(0), preset);
        }
    }
}
