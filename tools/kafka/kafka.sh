#!/usr/bin/env bash
# The managed Apache Kafka broker (design.md §7): a real single-node KRaft broker on 127.0.0.1,
# fetched from Maven Central, for machines without Docker.
#
#   tools/kafka/kafka.sh fetch                       resolve the pinned broker jars (cached)
#   tools/kafka/kafka.sh start  [--port N] [--state-dir D]   start and wait until it serves
#   tools/kafka/kafka.sh stop   [--port N]           stop (SIGTERM, then SIGKILL after 20 s)
#   tools/kafka/kafka.sh status [--port N]
#   tools/kafka/kafka.sh reset  [--port N]           stop and delete that broker's data
#
# The last line `start` prints is KAFKA_BROKERS=127.0.0.1:<port>.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tools/kafka"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"
LIB="${PUENTE_KAFKA_LIB:-$ROOT/.puente/kafka/lib}"
PORT=19092
STATE=""

die() { echo "kafka.sh: $*" >&2; exit 1; }
say() { echo "kafka.sh: $*" >&2; }

cmd="${1:-}"; shift || true
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --state-dir) STATE="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
STATE="${STATE:-$ROOT/.puente/kafka/$PORT}"
CONTROLLER_PORT=$((PORT + 1))
PIDFILE="$STATE/broker.pid"

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch() {
  if [ -f "$LIB/.version" ] && [ "$(cat "$LIB/.version")" = "$KAFKA_VERSION" ]; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is required to fetch the Kafka broker from Maven Central"
  command -v java >/dev/null || die "Java 17+ is required to run the Kafka broker"
  say "fetching Apache Kafka $KAFKA_VERSION from Maven Central into $LIB"
  local started=$SECONDS
  rm -rf "$LIB"; mkdir -p "$LIB"
  if ! mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB" -DincludeScope=runtime >"$LIB/../fetch.log" 2>&1; then
    tail -n 30 "$LIB/../fetch.log" >&2
    die "Maven could not resolve the broker (log: $LIB/../fetch.log)"
  fi
  echo "$KAFKA_VERSION" >"$LIB/.version"
  say "fetched $(ls "$LIB"/*.jar | wc -l) jars in $((SECONDS - started)) s"
}

write_properties() {
  mkdir -p "$STATE/data"
  cat >"$STATE/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$STATE/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
message.max.bytes=2097152
log.retention.hours=168
PROPS
}

start() {
  if pid="$(running_pid)"; then
    say "broker already running on 127.0.0.1:$PORT (pid $pid)"
    echo "KAFKA_BROKERS=127.0.0.1:$PORT"; return 0
  fi
  port_busy "$PORT" && die "port $PORT is in use by another process; choose another with --port"
  port_busy "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is in use; choose another --port"
  fetch
  write_properties
  local cp="$LIB/*" started=$SECONDS
  if [ ! -f "$STATE/data/meta.properties" ]; then
    local uuid; uuid="$(java -cp "$cp" kafka.tools.StorageTool random-uuid)"
    java -cp "$cp" kafka.tools.StorageTool format -t "$uuid" -c "$STATE/server.properties" >"$STATE/format.log" 2>&1 \
      || { cat "$STATE/format.log" >&2; die "formatting KRaft storage failed"; }
  fi
  # setsid: the broker outlives this script and is not hit by the caller's Ctrl-C; `stop` ends it.
  setsid nohup java -Xmx512m -Xms128m -XX:+UseSerialGC -Dkafka.logs.dir="$STATE" \
    -Dlog4j2.configurationFile="$HERE/log4j2.xml" -cp "$cp" kafka.Kafka "$STATE/server.properties" \
    >"$STATE/stdout.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! node "$HERE/wait-ready.js" "127.0.0.1:$PORT" 60; then
    say "the broker did not serve within 60 s; last log lines:"
    tail -n 40 "$STATE/server.log" "$STATE/stdout.log" >&2 2>/dev/null || true
    stop; exit 1
  fi
  say "broker serving on 127.0.0.1:$PORT after $((SECONDS - started)) s (state: $STATE)"
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then rm -f "$PIDFILE"; say "no broker running on port $PORT"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "broker did not stop in 20 s: killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  say "broker on port $PORT stopped"
}

case "$cmd" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then echo "running on 127.0.0.1:$PORT (pid $pid)"; else echo "not running (port $PORT)"; exit 1; fi ;;
  reset) stop; rm -rf "$STATE"; say "deleted $STATE" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
