package io.warmstream.eval.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldMainTest {
    @Test
    void writesTheRequestedLabels(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ood.jsonl");
        assertEquals(0, WorldMain.run(new String[] {"--count", "25", "--seed", "7", "--flip", "0.4", "--shift", "0.5",
                "--temperature", "0.3", "--split", "ood", "--from", "10", "--out", out.toString()}));
        PreferenceWorld world = PreferenceWorld.create(
                WorldConfig.defaults().withSeed(7).withFlipFraction(0.4).withShift(0.5).withTemperature(0.3));
        assertEquals(world.labels(Split.OOD, 10, 25).toList(), LabelsJsonl.read(out));
        assertEquals("pw-7-ood-10", LabelsJsonl.read(out).get(0).id());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> WorldMain.run(new String[] {"--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> WorldMain.run(new String[] {"--count"}));
        assertThrows(IllegalArgumentException.class, () -> WorldMain.run(new String[] {"--flip", "2"}));
        assertThrows(IllegalArgumentException.class, () -> WorldMain.run(new String[] {"--seed", "x"}));
        assertThrows(IllegalArgumentException.class, () -> WorldMain.run(new String[] {"--split", "test"}));
    }
}
