#!/bin/sh
# Starts the warmstream service named by $SERVICE on its own classpath. Configuration is environment only
# (WARM_*; see compose/README.md). DJL never downloads at run time: the CPU libtorch is on the classpath and is
# unpacked into $DJL_CACHE_DIR on first start; a CUDA libtorch is found through PYTORCH_LIBRARY_PATH et al.
set -eu
case "${SERVICE:-}" in
  ingest)  main=io.warmstream.ingest.IngestApplication ;;
  trainer) main=io.warmstream.trainer.TrainerApplication ;;
  merger)  main=io.warmstream.merger.MergerApplication ;;
  scorer)  main=io.warmstream.scorer.ScorerApplication ;;
  *) echo "SERVICE must be one of ingest, trainer, merger, scorer (got '${SERVICE:-}')" >&2; exit 2 ;;
esac
# JAVA_OPTS is split on spaces on purpose (several flags in one variable).
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -cp "$(cat "/opt/warmstream/$SERVICE.classpath")" "$main" "$@"
