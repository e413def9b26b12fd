package io.warmstream.local.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the bench kit into a folder to copy to another machine ({@code warm bench --kit DIR}): its jars into
 * DIR/lib (the weights' and libtorch's only when asked) and DIR/bench.sh, which runs the model and trainer benchmarks
 * with {@code java -cp "lib/*"} and the same JVM options {@code warm bench} gives them.
 */
public final class BenchKitFolder {

    static final String SCRIPT = "bench.sh";

    /** What was written; sizes in bytes. */
    public record Written(Path lib, int jars, long kitBytes, long weightsBytes, long libtorchBytes,
                          boolean weightsCopied, boolean libtorchCopied) {
    }

    private BenchKitFolder() {
    }

    public static Written write(BenchKit kit, Path dir, boolean withWeights, boolean withLibtorch) throws IOException {
        Path lib = dir.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> s = Files.list(lib)) {
                if (s.findAny().isPresent()) {
                    // Jars of an older kit would sit beside the new ones, in two versions.
                    throw new IllegalArgumentException(lib + " already holds files: name a new folder or empty it");
                }
            }
        }
        Files.createDirectories(lib);
        List<Path> entries = new ArrayList<>(kit.jars());
        if (withWeights) {
            entries.addAll(kit.weights());
        }
        if (withLibtorch) {
            entries.addAll(kit.libtorch());
        }
        long kitBytes = 0;
        for (Path entry : entries) {
            Path copied = Files.isDirectory(entry) ? packClassFolder(entry, lib) : copyJar(entry, lib);
            if (kit.jars().contains(entry)) {
                kitBytes += Files.size(copied);
            }
        }
        Path script = dir.resolve(SCRIPT);
        Files.writeString(script, script());
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: run it with bash bench.sh
        }
        return new Written(lib, entries.size(), kitBytes, sum(kit.weights()), sum(kit.libtorch()), withWeights,
                withLibtorch);
    }

    private static Path copyJar(Path jar, Path lib) throws IOException {
        Path target = lib.resolve(jar.getFileName().toString());
        if (Files.exists(target)) {
            throw new IllegalStateException("two of the kit's jars are named " + target.getFileName());
        }
        return Files.copy(jar, target, StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** During development a module is a class folder (MODULE/target/classes): the kit gets it as a jar. */
    private static Path packClassFolder(Path classes, Path lib) throws IOException {
        Path module = classes.getParent() == null ? null : classes.getParent().getParent();
        String name = "warmstream-" + (module == null ? "classes" : module.getFileName()) + ".jar";
        Path target = lib.resolve(name);
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        return target;
    }

    /** The script: the benchmarks' own JVM options for full and quick runs, read from ModelBench and TrainerBench. */
    static String script() {
        StringBuilder runs = new StringBuilder();
        for (ChildJvmBenchmark b : List.of(new ModelBench(), new TrainerBench())) {
            runs.append("  ").append(b.name()).append(")\n");
            runs.append("    if [[ $quick == 1 ]]; then opts=(").append(words(b.jvmOptions(options(true))))
                    .append("); else opts=(").append(words(b.jvmOptions(options(false)))).append("); fi\n");
            runs.append("    main=").append(b.mainClass()).append(" ;;\n");
        }
        List<String> base = new ArrayList<>(ChildJvm.BASE_OPTIONS);
        base.addAll(BenchOptions.modelProperties("${architecture}", "${random_weights}"));
        return TEMPLATE.replace("@BASE@", words(base)).replace("@RUNS@", runs.toString());
    }

    private static BenchOptions options(boolean quick) {
        return new BenchOptions(quick, "${architecture}", false, Path.of("results"), Duration.ZERO, null, SCRIPT);
    }

    private static String words(List<String> options) {
        return options.stream().map(o -> "\"" + o + "\"").collect(Collectors.joining(" "));
    }

    private static long sum(List<Path> paths) {
        return paths.stream().mapToLong(BenchKit::size).sum();
    }

    private static final String TEMPLATE = """
            #!/usr/bin/env bash
            # warmstream's model and trainer benchmarks from a bench kit (written by ./warm bench --kit; bench/README.md).
            #   ./bench.sh [--quick] [--architecture NAME] [--random-weights] [--only model,trainer]
            # NAME: minilm-l6 or bge-small (pretrained weights in lib/), or with --random-weights minilm-l6 or bert-base.
            # Environment: JAVA_HOME (a Java 17+), PYTORCH_LIBRARY_PATH (a libtorch DJL uses instead of lib/'s
            # pytorch-native jar, e.g. a CUDA build), BENCH_JAVA_OPTS (extra JVM flags).
            # Each benchmark's output (its JSON last) goes to results/NAME.out, its log to results/NAME.log.
            set -euo pipefail
            cd "$(dirname "${BASH_SOURCE[0]}")"
            usage() { sed -n '3,7p' "$0" | sed 's/^# \\{0,1\\}//'; }
            quick=0; architecture=minilm-l6; random_weights=false; only=model,trainer
            while [[ $# -gt 0 ]]; do
              case "$1" in
                --quick) quick=1 ;;
                --random-weights) random_weights=true ;;
                --architecture|--only)
                  [[ $# -ge 2 ]] || { echo "bench.sh: $1 needs a value" >&2; exit 2; }
                  if [[ $1 == --only ]]; then only="$2"; else architecture="$2"; fi
                  shift ;;
                -h|--help) usage; exit 0 ;;
                *) echo "bench.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
              esac
              shift
            done
            for name in ${only//,/ }; do
              [[ $name == model || $name == trainer ]] || { echo "bench.sh: unknown benchmark '$name': expected model or trainer" >&2; exit 2; }
            done
            java=java
            [[ -n "${JAVA_HOME:-}" ]] && java="$JAVA_HOME/bin/java"
            if [[ -z "${PYTORCH_LIBRARY_PATH:-}" ]] && ! compgen -G "lib/*pytorch-native*" >/dev/null; then
              echo "bench.sh: no libtorch: set PYTORCH_LIBRARY_PATH to a libtorch's lib folder (the version lib/pytorch-jni-*.jar names, CPU or CUDA 12.8), or write the kit with --kit-libtorch" >&2
              exit 1
            fi
            if [[ -n "${PYTORCH_LIBRARY_PATH:-}" ]]; then
              # DJL picks its JNI library by libtorch version and flavour; unset, it asks for one lib/ does not hold.
              jni=$(compgen -G "lib/pytorch-jni-*.jar" | head -n 1 || true); jni=${jni##*/pytorch-jni-}
              export PYTORCH_VERSION="${PYTORCH_VERSION:-${jni%%-*}}"
              if [[ -z "${PYTORCH_FLAVOR:-}" ]]; then
                if compgen -G "$PYTORCH_LIBRARY_PATH/libtorch_cuda*" >/dev/null; then export PYTORCH_FLAVOR=cu128; else export PYTORCH_FLAVOR=cpu; fi
              fi
            fi
            if [[ $random_weights == false ]] && ! compgen -G "lib/*langchain4j-embeddings*" >/dev/null; then
              echo "bench.sh: no pretrained weights in lib/: add --random-weights, or write the kit with --kit-weights" >&2
              exit 1
            fi
            mkdir -p results
            failed=0
            for name in ${only//,/ }; do
              case "$name" in
            @RUNS@  esac
              echo "bench.sh: $name ..." >&2
              # shellcheck disable=SC2086
              if "$java" @BASE@ "${opts[@]}" ${BENCH_JAVA_OPTS:-} -cp "lib/*" "$main" >"results/$name.out" 2>"results/$name.log"; then
                echo "bench.sh: $name done -> results/$name.out" >&2
              else
                echo "bench.sh: $name FAILED; log: results/$name.log" >&2
                failed=1
              fi
            done
            exit $failed
            """;
}
