package io.warmstream.local.cli;

import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.DirectoryTree;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code warm export}: copies one WARM version out of the model store as a Hugging Face model directory. */
// No standard -V/--version here: --version names the model version, as users of model registries expect.
@Command(name = "export", usageHelpAutoWidth = true,
        description = {"Copy a WARM version out as a Hugging Face model directory.", "",
                "Copies a published WARM version from the model store into a directory that Hugging Face transformers "
                        + "loads (AutoModelForSequenceClassification.from_pretrained(dir); the reward is logits[:, 0]). "
                        + "The copy is verified against the model's recorded SHA-256 hashes and, with a model signing key "
                        + "(the data directory's, or --signing-key-file), its signature; a copy that fails is deleted. "
                        + "Works whether or not the stack runs.", ""})
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "<n>", description = "The WARM version to export (default: the newest in the store).")
    Long version;

    @Option(names = "--out", paramLabel = "<dir>", required = true, description = "Where to write the model (must not exist, or be empty).")
    Path out;

    @Option(names = "--average", paramLabel = "<name>", defaultValue = "default", description = "Which running average (default ${DEFAULT-VALUE}).")
    String average;

    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "${env:WARM_DATA_DIR:-warm-data}",
            description = "The stack's data directory; the store is its store/ (env WARM_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--store", paramLabel = "<dir-or-uri>", defaultValue = "${env:WARM_STORE_LOCATION}",
            description = "The model store itself, overriding --data-dir (env WARM_STORE_LOCATION).")
    String store;

    @Option(names = "--signing-key-file", paramLabel = "<file>", defaultValue = "${env:WARM_SECURITY_MODEL_SIGNING_KEY_FILE}",
            description = "The deployment's model signing keys (env WARM_SECURITY_MODEL_SIGNING_KEY_FILE; default: "
                    + "security/model-signing-key in --data-dir unless --store is given).")
    Path signingKeyFile;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String location = store != null && !store.isBlank() ? store : dataDir.resolve("store").toAbsolutePath().toString();
        CheckpointStore checkpoints = CheckpointStore.open(location);
        long v;
        if (version != null) {
            v = version;
        } else {
            OptionalLong newest = newestVersion(checkpoints.uriOf(averagesKey(average, 0)));
            if (newest.isEmpty()) {
                err.printf("no versions of average '%s' in the store at %s%n", average, location);
                return 1;
            }
            v = newest.getAsLong();
        }
        URI uri = checkpoints.uriOf(averagesKey(average, v));
        if (!checkpoints.exists(uri)) {
            err.printf("average '%s' has no version %d in the store at %s (the merger keeps the newest few versions; "
                    + "warm status lists what was published)%n", average, v, location);
            return 1;
        }
        if (Files.exists(out) && !isEmptyDirectory(out)) {
            err.println(out + " exists and is not empty; choose another --out");
            return 1;
        }
        ModelSigningKeys keys = signingKeys(err);
        Path source = checkpoints.fetch(uri);
        boolean created = !Files.exists(out);
        copyTree(source, out);
        ModelManifest manifest;
        try {
            manifest = new ModelSigner(keys).verify(out); // what is checked is the copy the user gets
        } catch (ModelFormatException e) {
            removeCopy(created);
            err.printf("refused to export %s v%d: %s%n", average, v, e.getMessage().replace(out.toString(),
                    source.toString()));
            return 1;
        }
        stdout.printf("exported %s v%d to %s (%,d bytes of weights, sha256 %s, verified%s)%n", average, v,
                out.toAbsolutePath(), manifest.weightsBytes(), manifest.weightsSha256(),
                keys.enabled() ? ", signature checked" : "");
        stdout.printf("load it with: AutoModelForSequenceClassification.from_pretrained(\"%s\"); reward = logits[:, 0]%n", out);
        if (RewardScaleFile.write(out)) {
            stdout.printf("reward scale in %s; normalise as the scorer does with \"normalize\": true:%n  %s%n",
                    out.resolve(RewardScaleFile.FILE), RewardScaleFile.pythonOneLiner(out));
        }
        stdout.flush();
        return 0;
    }

    /** The keys given, else the data directory's when the store is too; none (with a warning) otherwise. */
    private ModelSigningKeys signingKeys(PrintWriter err) {
        if (signingKeyFile != null) {
            return ModelSigningKeys.load(signingKeyFile);
        }
        Optional<Path> local = store == null || store.isBlank() ? LocalSecrets.existingModelSigningKeyFile(dataDir)
                : Optional.empty();
        if (local.isPresent()) {
            return ModelSigningKeys.load(local.get());
        }
        err.println("warning: no model signing key (--signing-key-file); the export is checked against its recorded "
                + "hashes only, not its signature");
        return ModelSigningKeys.none();
    }

    private void removeCopy(boolean created) {
        if (created) {
            DirectoryTree.delete(out);
            return;
        }
        try (Stream<Path> children = Files.list(out)) {
            children.forEach(DirectoryTree::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the refused copy in " + out, e);
        }
    }

    /** The store key of a version; the merger writes averages under {@code averages/<average>/v<version>}. */
    static String averagesKey(String average, long version) {
        return "averages/" + average + "/v" + version;
    }

    /** Versions are sibling directories {@code v<N>}; the newest is the largest N. */
    private static OptionalLong newestVersion(URI anyVersion) {
        Path parent;
        try {
            parent = Path.of(anyVersion).getParent();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return OptionalLong.empty(); // not a filesystem store: the version must be given
        }
        if (parent == null || !Files.isDirectory(parent)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("v\\d+"))
                    .mapToLong(n -> Long.parseLong(n.substring(1))).max();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parent, e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            List<Path> paths = walk.sorted(Comparator.naturalOrder()).toList();
            for (Path p : paths) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
