package io.warmstream.eval.world;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes preference-world labels as JSONL, to look at or to feed {@code warm send}:
 * {@code WorldMain [--count N] [--seed S] [--flip F] [--shift X] [--temperature T] [--split train|validation|ood]
 * [--from I] [--out FILE]}.
 */
public final class WorldMain {
    private static final String USAGE = """
            Usage: WorldMain [options]
              --count N          labels to write (default 10)
              --seed S           world seed (default 42)
              --flip F           fraction of TRAIN labels flipped, 0..1 (default 0)
              --shift X          OOD distribution shift, 0..1 (default 1)
              --temperature T    labeller noise, >= 0 (default 0.15)
              --split NAME       train, validation or ood (default train)
              --from I           index of the first label (default 0)
              --out FILE         output file (default: standard output)
              --help             this text
            """;

    private WorldMain() {
    }

    public static void main(String[] args) throws IOException {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    static int run(String[] args) throws IOException {
        WorldConfig config = WorldConfig.defaults();
        long count = 10;
        long from = 0;
        Split split = Split.TRAIN;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.print(USAGE);
                return 0;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args[++i];
            try {
                switch (option) {
                    case "--count" -> count = Long.parseLong(value);
                    case "--seed" -> config = config.withSeed(Long.parseLong(value));
                    case "--flip" -> config = config.withFlipFraction(Double.parseDouble(value));
                    case "--shift" -> config = config.withShift(Double.parseDouble(value));
                    case "--temperature" -> config = config.withTemperature(Double.parseDouble(value));
                    case "--split" -> split = Split.parse(value);
                    case "--from" -> from = Long.parseLong(value);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number for " + option + ": " + value);
            }
        }
        if (count < 0 || from < 0) {
            throw new IllegalArgumentException("--count and --from must be >= 0");
        }
        PreferenceWorld world = PreferenceWorld.create(config);
        if (out == null) {
            Writer stdout = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            LabelsJsonl.write(world.labels(split, from, count), stdout);
        } else {
            long written = LabelsJsonl.write(world.labels(split, from, count), out);
            System.err.println("wrote " + written + " " + split.slug() + " labels to " + out);
        }
        return 0;
    }
}
