#!/bin/sh
# Starts the apache/kafka broker with SASL: SCRAM-SHA-512 for clients (INTERNAL kafka:9092, EXTERNAL host:29092),
# PLAIN for the broker's own listener (BROKER kafka:9094) and the controller, where only the super user "admin" can
# log in. Its password comes from the compose secret kafka-admin-password, never from the compose file.
set -eu
ADMIN_PASSWORD="$(tr -d '\r\n' < /run/secrets/kafka-admin-password)"
if [ -z "$ADMIN_PASSWORD" ]; then
  echo "the kafka-admin-password secret is empty" >&2
  exit 2
fi
PLAIN="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$ADMIN_PASSWORD\" user_admin=\"$ADMIN_PASSWORD\";"
export KAFKA_LISTENER_NAME_BROKER_PLAIN_SASL_JAAS_CONFIG="$PLAIN"
export KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG="$PLAIN"
# The health check's login, readable by the broker's user only.
umask 077
cat > /tmp/warm-admin.properties <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$ADMIN_PASSWORD";
PROPS
unset ADMIN_PASSWORD PLAIN
exec /etc/kafka/docker/run
