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
# Secrets arrive as files (compose secrets): the hold-out salt becomes WARM_HOLDOUT_SALT unless that is set already.
# The services refuse to start without a salt; the API keys file is read by the services themselves.
if [ -z "${WARM_HOLDOUT_SALT:-}" ] && [ -n "${WARM_HOLDOUT_SALT_FILE:-}" ] && [ -r "$WARM_HOLDOUT_SALT_FILE" ]; then
  WARM_HOLDOUT_SALT="$(tr -d '[:space:]' < "$WARM_HOLDOUT_SALT_FILE")"
  export WARM_HOLDOUT_SALT
fi
# Kafka login: WARM_KAFKA_USER and its password file (a compose secret) become the SCRAM JAAS line every client gets
# through warm.kafka.client.sasl.jaas.config, unless WARM_KAFKA_CLIENT_SASL_JAAS_CONFIG is set already.
if [ -z "${WARM_KAFKA_CLIENT_SASL_JAAS_CONFIG:-}" ] && [ -n "${WARM_KAFKA_USER:-}" ] && [ -n "${WARM_KAFKA_PASSWORD_FILE:-}" ]; then
  if [ ! -r "$WARM_KAFKA_PASSWORD_FILE" ]; then
    echo "WARM_KAFKA_PASSWORD_FILE $WARM_KAFKA_PASSWORD_FILE is not readable" >&2; exit 2
  fi
  WARM_KAFKA_CLIENT_SASL_JAAS_CONFIG="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$WARM_KAFKA_USER\" password=\"$(tr -d '\r\n' < "$WARM_KAFKA_PASSWORD_FILE")\";"
  export WARM_KAFKA_CLIENT_SASL_JAAS_CONFIG
fi
# JAVA_OPTS is split on spaces on purpose (several flags in one variable).
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -cp "$(cat "/opt/warmstream/$SERVICE.classpath")" "$main" "$@"
