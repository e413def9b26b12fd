#!/usr/bin/env bash
# Runs the scorer benchmark (JSON on stdout, progress on stderr). Extra arguments are JVM options, e.g.
#   scorer/bench.sh -Dbench.seconds=5 -Dbench.modelThreads=2 -Dbench.intraThreads=1
# It builds the module and the ones it depends on first (no tests), then runs on the test classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -pl scorer -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/scorer/target/bench-classpath.txt" -Dmdep.includeScope=test >&2
exec java -Xmx8g -Dai.djl.offline=true "$@" \
    -cp "scorer/target/test-classes:scorer/target/classes:$(cat scorer/target/bench-classpath.txt)" \
    io.warmstream.scorer.bench.ScorerBenchmark
