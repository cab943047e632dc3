#!/usr/bin/env bash
# The managed Apache Kafka broker: a real single-node KRaft broker on 127.0.0.1, fetched from Maven
# Central, for machines without Docker. Secured by default (docs/security.md): SASL_SSL (SCRAM-SHA-512
# over TLS) for clients, TLS with a required client certificate on the controller port, ACLs enforced
# (StandardAuthorizer, deny when no ACL matches). Nothing listens in plaintext unless --plaintext.
#
#   tools/kafka/kafka.sh fetch                       resolve the pinned broker jars (cached)
#   tools/kafka/kafka.sh start  [--port N] [--brokers 1|3|5] [--node I] [--state-dir D] [--users DIR] [--plaintext]
#                                                    start and wait until it serves
#   tools/kafka/kafka.sh run    [same as start] [--listen ADDR] [--listener NAME=HOST:PORT]… [--ca-out FILE]
#                                                    prepare, then run the broker in the foreground
#                                                    (a container's command: no fetch, no pid file)
#   tools/kafka/kafka.sh users  [--port N] --users DIR   create or update SCRAM users of a running broker
#   tools/kafka/kafka.sh stop   [--port N] [--node I]  stop (SIGTERM, then SIGKILL after 20 s)
#   tools/kafka/kafka.sh kill   [--port N] --node I    SIGKILL one broker of a cluster (fault drills)
#   tools/kafka/kafka.sh status [--port N] [--node I]
#   tools/kafka/kafka.sh reset  [--port N]           stop and delete that broker's (or cluster's) data
#
# --brokers 3: a cluster of three KRaft nodes on this machine, each broker and controller (a quorum of
# three voters), node I on client port N+2(I-1) and controller port N+2(I-1)+1; secured like the single
# broker (one CA, one broker certificate, one admin, the same SCRAM users). Internal topics (consumer
# offsets, transactions) get replication factor 3 and min.insync.replicas 2, as do topics created
# without settings; a node back from a crash leads its preferred partitions again within 10 s. The state directory holds node-1/ … node-3/; stop, status and reset act on every
# node unless --node I names one (`start --node I` starts that node again, e.g. after `kill`). The
# number of brokers is recorded at the first start; later commands need only --port.
#
# --users DIR: every DIR/*.kafka.json ({"username": "...", "password": "..."}, written by `npm run keys`)
# becomes a SCRAM-SHA-512 user of the broker. The broker's own admin credentials and TLS material are
# generated once per state directory (mode 0600 / 0700). `start` ends by printing
#   KAFKA_CA_FILE=<the CA certificate clients trust, PEM>
#   KAFKA_ADMIN_CREDENTIALS=<the admin principal's credentials file>
#   KAFKA_BROKERS=127.0.0.1:<port>[,127.0.0.1:<port+2>,…]   (always the last line; every node of a cluster)
#
# For docker-compose.yml (`run` inside the apache/kafka image, PUENTE_KAFKA_LIB=/opt/kafka/libs):
# --listen ADDR      the address the client listeners bind to (default 127.0.0.1; the controller
#                    listener stays on 127.0.0.1 whatever ADDR is)
# --listener NAME=HOST:PORT   one more SASL_SSL client listener, on ADDR:PORT, advertised as
#                    HOST:PORT (e.g. DOCKER=kafka:9092 for the containers of a compose network);
#                    HOST joins the broker certificate's names
# --ca-out FILE      also copy the CA certificate to FILE (mode 0644), for clients that must not see
#                    the state directory
# `run` takes the SCRAM users only when it formats the storage (the image's JRE cannot run
# ScramUsers.java); it warns when --users DIR has changed since.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tools/kafka"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"
LIB="${PUENTE_KAFKA_LIB:-$ROOT/.puente/kafka/lib}"
PORT=19092
BROKERS=""
NODE=""
STATE=""
USERS=""
SECURITY=sasl_ssl
LISTEN=127.0.0.1
EXTRA_LISTENERS=()
CA_OUT=""

die() { echo "kafka.sh: $*" >&2; exit 1; }
say() { echo "kafka.sh: $*" >&2; }

cmd="${1:-}"; shift || true
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --brokers)
      [[ "$2" =~ ^[135]$ ]] || die "--brokers must be 1, 3 or 5 (a KRaft quorum wants an odd number of voters)"
      BROKERS="$2"; shift 2 ;;
    --node) [[ "$2" =~ ^[1-9]$ ]] || die "--node must be a node number"; NODE="$2"; shift 2 ;;
    --state-dir) STATE="$2"; shift 2 ;;
    --users) USERS="$2"; shift 2 ;;
    --plaintext) SECURITY=plaintext; shift ;;
    --listen) LISTEN="$2"; shift 2 ;;
    --listener)
      [[ "$2" =~ ^[A-Z][A-Z0-9_]*=[A-Za-z0-9.-]+:[0-9]+$ ]] || die "--listener $2 is not NAME=HOST:PORT (NAME in capitals)"
      case "${2%%=*}" in SASL_SSL|PLAINTEXT|CONTROLLER) die "--listener name ${2%%=*} is taken" ;; esac
      EXTRA_LISTENERS+=("$2"); shift 2 ;;
    --ca-out) CA_OUT="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
STATE="${STATE:-$ROOT/.puente/kafka/$PORT}"
TLS="$STATE/tls"
ADMIN_CREDENTIALS="$STATE/admin.kafka.json"

# The number of nodes: as recorded at the first start (a cluster keeps its size), else --brokers, else 1.
RECORDED="$(cat "$STATE/brokers" 2>/dev/null || true)"
if [ -n "$RECORDED" ] && [ -n "$BROKERS" ] && [ "$RECORDED" != "$BROKERS" ] && [ "$cmd" != reset ]; then
  die "$STATE holds a $RECORDED-broker cluster; reset it first (kafka.sh reset --port $PORT) to make one of $BROKERS"
fi
BROKERS="${BROKERS:-${RECORDED:-1}}"
[ -z "$NODE" ] || [ "$NODE" -le "$BROKERS" ] || die "--node $NODE: the cluster on port $PORT has $BROKERS node(s)"
[ "$BROKERS" = 1 ] || [ "${#EXTRA_LISTENERS[@]}" = 0 ] || die "--listener is for a single broker"

# Node I of the cluster: its client port, controller port and directory (a single broker's is $STATE itself).
node_port() { echo $((PORT + 2 * ($1 - 1))); }
node_dir() { if [ "$BROKERS" = 1 ]; then echo "$STATE"; else echo "$STATE/node-$1"; fi; }
all_nodes() { if [ -n "$NODE" ]; then echo "$NODE"; else seq 1 "$BROKERS"; fi; }
bootstrap() {
  local i list=""
  for i in $(seq 1 "$BROKERS"); do list="$list,127.0.0.1:$(node_port "$i")"; done
  echo "${list#,}"
}

running_pid() {
  local pidfile; pidfile="$(node_dir "$1")/broker.pid"
  [ -f "$pidfile" ] || return 1
  local pid; pid="$(cat "$pidfile")"
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

secret() { head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32; }

# A credentials file's field, read with node (always there: the project is a Node project).
cred_field() {
  if ! command -v node >/dev/null; then cred_field_plain "$@"; return; fi
  node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = c[process.argv[2]];
    if (typeof v !== "string" || !v) { console.error(`${process.argv[1]}: no ${process.argv[2]}`); process.exit(1); }
    process.stdout.write(v);' "$1" "$2"
}

# Without node (the apache/kafka image has none): the one-line files `npm run keys` and this script
# write, whose values are base64url. A value with any other character is refused, never guessed at.
cred_field_plain() {
  local v
  v="$(sed -n 's/.*"'"$2"'"[[:space:]]*:[[:space:]]*"\([A-Za-z0-9._~-]*\)".*/\1/p' "$1" | head -n 1)"
  [ -n "$v" ] || { echo "$1: no $2 made of letters, digits, . _ ~ or - (without node, no other is read)" >&2; return 1; }
  printf '%s' "$v"
}

# The broker certificate's names: 127.0.0.1 and localhost, and the host of every --listener.
sans() {
  local names="IP:127.0.0.1,DNS:localhost" l host
  for l in "${EXTRA_LISTENERS[@]}"; do
    host="${l#*=}"; host="${host%:*}"
    if [[ "$host" =~ ^[0-9.]+$ ]]; then names="$names,IP:$host"; else names="$names,DNS:$host"; fi
  done
  echo "$names"
}

# The broker's own secrets, made once per state directory: a local CA, the broker's key pair and
# certificate (signed by that CA, for 127.0.0.1/localhost, server and client use: the broker presents
# it to clients and to its own controller), a trust store, and the admin principal's password.
ensure_secrets() {
  mkdir -p "$STATE"; chmod 700 "$STATE"
  if [ ! -f "$ADMIN_CREDENTIALS" ]; then
    (umask 077; printf '{"username":"admin","password":"%s"}\n' "$(secret)" >"$ADMIN_CREDENTIALS")
  fi
  [ "$SECURITY" = sasl_ssl ] || return 0
  # Made again (a new CA too) when the names it must carry change; a state without the record has the defaults.
  if [ -f "$TLS/broker.p12" ] && [ "$(cat "$TLS/sans" 2>/dev/null || echo "IP:127.0.0.1,DNS:localhost")" = "$(sans)" ]; then
    return 0
  fi
  command -v keytool >/dev/null || die "keytool (from the JDK) is required to make the broker's TLS certificate"
  rm -rf "$TLS"; mkdir -p "$TLS"; chmod 700 "$TLS"
  local pw; pw="$(secret)"
  (umask 077; printf '%s' "$pw" >"$TLS/store-password")
  local kt=(keytool -noprompt -storetype PKCS12 -storepass "$pw" -keypass "$pw")
  "${kt[@]}" -genkeypair -keystore "$TLS/ca.p12" -alias ca -keyalg EC -groupname secp256r1 \
    -dname "CN=Puente local broker CA" -validity 3650 -ext bc:c >/dev/null 2>&1
  "${kt[@]}" -exportcert -rfc -keystore "$TLS/ca.p12" -alias ca -file "$TLS/ca.pem" >/dev/null 2>&1
  "${kt[@]}" -genkeypair -keystore "$TLS/broker.p12" -alias broker -keyalg EC -groupname secp256r1 \
    -dname "CN=broker" -validity 825 >/dev/null 2>&1
  "${kt[@]}" -certreq -keystore "$TLS/broker.p12" -alias broker -file "$TLS/broker.csr" >/dev/null 2>&1
  "${kt[@]}" -gencert -keystore "$TLS/ca.p12" -alias ca -infile "$TLS/broker.csr" -outfile "$TLS/broker.pem" \
    -rfc -validity 825 -ext "SAN=$(sans)" -ext "EKU=serverAuth,clientAuth" >/dev/null 2>&1
  "${kt[@]}" -importcert -keystore "$TLS/broker.p12" -alias ca -file "$TLS/ca.pem" >/dev/null 2>&1
  "${kt[@]}" -importcert -keystore "$TLS/broker.p12" -alias broker -file "$TLS/broker.pem" >/dev/null 2>&1
  "${kt[@]}" -importcert -keystore "$TLS/truststore.p12" -alias ca -file "$TLS/ca.pem" >/dev/null 2>&1
  rm -f "$TLS/broker.csr"
  [ -f "$TLS/truststore.p12" ] || die "making the broker's TLS material failed (keytool)"
  chmod 644 "$TLS/ca.pem"
  sans >"$TLS/sans"
}

# Every user of --users DIR as "name password" lines (never echoed to the terminal).
user_list() {
  [ -n "$USERS" ] || return 0
  [ -d "$USERS" ] || die "--users $USERS is not a directory"
  local f name
  for f in "$USERS"/*.kafka.json; do
    [ -f "$f" ] || continue
    name="$(cred_field "$f" username)" || die "bad credentials file $f"
    [[ "$name" =~ ^[a-z0-9][a-z0-9._-]*$ ]] || die "$f: username \"$name\" must be lower-case letters, digits, ., _ or -"
    [ "$name" = admin ] && die "$f: the admin principal belongs to the broker, not to a party"
    echo "$name $(cred_field "$f" password)"
  done
}

# Node I's server.properties (a single broker is node 1 of 1).
write_properties() {
  local i="$1" dir port controller_port voters="" n
  dir="$(node_dir "$i")"; port="$(node_port "$i")"; controller_port=$((port + 1))
  for n in $(seq 1 "$BROKERS"); do voters="$voters,$n@127.0.0.1:$(($(node_port "$n") + 1))"; done
  mkdir -p "$dir/data"; chmod 700 "$dir"
  local listeners protocol_map security
  if [ "$SECURITY" = sasl_ssl ]; then
    local pw; pw="$(cat "$TLS/store-password")"
    local jaas l name bind=",CONTROLLER://127.0.0.1:$controller_port" advertised="" map="" logins=""
    jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(cred_field "$ADMIN_CREDENTIALS" password)\";"
    for l in "${EXTRA_LISTENERS[@]}"; do
      name="${l%%=*}"
      bind="$bind,$name://$LISTEN:${l##*:}"
      advertised="$advertised,$name://${l#*=}"
      map="$map,$name:SASL_SSL"
      logins="$logins
listener.name.$(echo "$name" | tr 'A-Z' 'a-z').scram-sha-512.sasl.jaas.config=$jaas"
    done
    listeners="listeners=SASL_SSL://$LISTEN:$port$bind
advertised.listeners=SASL_SSL://127.0.0.1:$port$advertised
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL$map
inter.broker.listener.name=SASL_SSL"
    security="sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$jaas$logins
listener.name.controller.ssl.client.auth=required
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.password=$pw
ssl.key.password=$pw
ssl.truststore.type=PKCS12
ssl.truststore.location=$TLS/truststore.p12
ssl.truststore.password=$pw
ssl.endpoint.identification.algorithm=
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:CN=broker"
  else
    listeners="listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT"
    security="# --plaintext: no authentication, no authorisation (a developer's broker, never a network's)"
  fi
  # Three or more nodes: every write the producers acknowledge (acks=all) is on at least two of them,
  # so losing any one node loses nothing and stops nothing. A single broker can only have one copy.
  # A node back from a crash takes back the partitions it prefers to lead within 10 s (Kafka's default
  # is 300 s), so the load spreads again soon after a restart.
  local rf=1 isr=1 rebalance=300
  if [ "$BROKERS" -ge 3 ]; then rf=3; isr=2; rebalance=10; fi
  (umask 077; cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=${voters#,}
$listeners
controller.listener.names=CONTROLLER
$security
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$isr
default.replication.factor=$rf
min.insync.replicas=$isr
unclean.leader.election.enable=false
leader.imbalance.check.interval.seconds=$rebalance
group.initial.rebalance.delay.ms=0
message.max.bytes=2097152
log.retention.hours=168
PROPS
  )
  echo "$SECURITY" >"$STATE/security"
}

# The admin client's settings for the JDK tools (kafka-configs): SASL_SSL with the admin principal.
admin_client_properties() {
  local pw; pw="$(cat "$TLS/store-password")"
  (umask 077; cat >"$STATE/admin-client.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(cred_field "$ADMIN_CREDENTIALS" password)";
ssl.truststore.type=PKCS12
ssl.truststore.location=$TLS/truststore.p12
ssl.truststore.password=$pw
ssl.endpoint.identification.algorithm=
PROPS
  )
}

# Creates or updates the SCRAM users of a running broker (a broker formatted earlier, or users added since).
sync_users() {
  [ "$(cat "$STATE/security" 2>/dev/null)" = sasl_ssl ] || return 0
  local list; list="$(user_list)"
  [ -n "$list" ] || return 0
  admin_client_properties
  # Salts and keys are derived by the broker; the passwords go to the JVM on stdin, never on a command line.
  echo "$list" | java -cp "$LIB/*" "$HERE/ScramUsers.java" "$(bootstrap)" "$STATE/admin-client.properties" \
    >"$STATE/users.log" 2>&1 || { tail -n 5 "$STATE/users.log" >&2; die "could not set the brokers' SCRAM users"; }
  say "SCRAM users up to date: $(echo "$list" | cut -d' ' -f1 | tr '\n' ' ')"
}

# What `start` and `run` share: the secrets, every node's server.properties, and on first use the
# KRaft storage, formatted with the admin and every --users user as SCRAM-SHA-512 users (every node of
# a cluster with the same cluster id and users). Sets FORMATTED=1 then.
prepare() {
  if [ -f "$(node_dir 1)/data/meta.properties" ] && [ "$(cat "$STATE/security" 2>/dev/null || echo plaintext)" != "$SECURITY" ]; then
    die "the broker in $STATE was formatted for $(cat "$STATE/security" 2>/dev/null || echo plaintext); reset it first (kafka.sh reset --port $PORT)"
  fi
  ensure_secrets
  echo "$BROKERS" >"$STATE/brokers"
  local i
  for i in $(seq 1 "$BROKERS"); do write_properties "$i"; done
  FORMATTED=0
  [ -f "$(node_dir 1)/data/meta.properties" ] && return 0
  local cp="$LIB/*" uuid scram=() name password list="" dir
  uuid="$(java -cp "$cp" kafka.tools.StorageTool random-uuid)"
  if [ "$SECURITY" = sasl_ssl ]; then
    list="$(user_list)"
    scram+=(--add-scram "SCRAM-SHA-512=[name=admin,password=$(cred_field "$ADMIN_CREDENTIALS" password)]")
    while read -r name password; do
      [ -n "$name" ] && scram+=(--add-scram "SCRAM-SHA-512=[name=$name,password=$password]")
    done <<<"$list"
  fi
  for i in $(seq 1 "$BROKERS"); do
    dir="$(node_dir "$i")"
    # The tool prints salts and stored keys of the users: its output goes to a private file only.
    (umask 077; java -cp "$cp" kafka.tools.StorageTool format -t "$uuid" -c "$dir/server.properties" \
      "${scram[@]}" >"$dir/format.log" 2>&1) \
      || { grep -v -i 'scram' "$dir/format.log" >&2; die "formatting KRaft storage of node $i failed"; }
  done
  if command -v sha256sum >/dev/null; then (umask 077; users_digest "$list" >"$STATE/users.sha256"); fi
  FORMATTED=1
}

# A digest of the users' names and passwords, to notice that --users DIR changed after formatting.
users_digest() { printf '%s\n' "$1" | sha256sum | cut -d' ' -f1; }

# Starts node I in the background (setsid: it outlives this script and is not hit by the caller's
# Ctrl-C; `stop` ends it). A cluster's nodes get a smaller heap: three share one machine.
launch() {
  local i="$1" dir heap=512m
  dir="$(node_dir "$i")"
  [ "$BROKERS" = 1 ] || heap=384m
  setsid nohup java -Xmx$heap -Xms128m -XX:+UseSerialGC -Dkafka.logs.dir="$dir" \
    -Dlog4j2.configurationFile="$HERE/log4j2.xml" -cp "$LIB/*" kafka.Kafka "$dir/server.properties" \
    >"$dir/stdout.log" 2>&1 </dev/null &
  echo $! >"$dir/broker.pid"
}

what() { if [ "$BROKERS" = 1 ]; then echo "broker"; else echo "node $1 of the $BROKERS-broker cluster"; fi; }

start() {
  local i pid todo=() started=$SECONDS
  for i in $(all_nodes); do
    if pid="$(running_pid "$i")"; then say "$(what "$i") already running on 127.0.0.1:$(node_port "$i") (pid $pid)"
    else todo+=("$i"); fi
  done
  if [ "${#todo[@]}" = 0 ]; then
    [ -n "$USERS" ] && sync_users
    report; return 0
  fi
  for i in "${todo[@]}"; do
    port_busy "$(node_port "$i")" && die "port $(node_port "$i") is in use by another process; choose another with --port"
    port_busy $(($(node_port "$i") + 1)) && die "controller port $(($(node_port "$i") + 1)) is in use; choose another --port"
  done
  fetch
  prepare
  for i in "${todo[@]}"; do launch "$i"; done
  # Ready when every node started here answers and the cluster lists all of its brokers.
  for i in "${todo[@]}"; do
    if ! node "$HERE/wait-ready.js" "127.0.0.1:$(node_port "$i")" 120 "$SECURITY" "$TLS/ca.pem" "$ADMIN_CREDENTIALS" "$BROKERS"; then
      say "$(what "$i") did not serve within 120 s; last log lines:"
      tail -n 40 "$(node_dir "$i")/server.log" "$(node_dir "$i")/stdout.log" >&2 2>/dev/null || true
      NODE=""; stop; exit 1
    fi
  done
  [ "$FORMATTED" = 0 ] && sync_users
  if [ "$BROKERS" = 1 ]; then
    say "broker serving on 127.0.0.1:$PORT ($SECURITY) after $((SECONDS - started)) s (state: $STATE)"
  else
    say "node(s) ${todo[*]} of the $BROKERS-broker cluster serving ($SECURITY) after $((SECONDS - started)) s (state: $STATE)"
  fi
  report
}

# A container's broker: the jars are the image's (no Maven), the process is the container's main
# process (logs on stdout, SIGTERM from `docker stop` ends it cleanly), readiness is the caller's
# health check (it can use admin-client.properties in the state directory).
run() {
  [ "$BROKERS" = 1 ] || die "run is for one broker (a container's); start a cluster with start --brokers $BROKERS"
  [ -f "$LIB/kafka_2.13-$KAFKA_VERSION.jar" ] || die "$LIB holds no Kafka $KAFKA_VERSION jars (PUENTE_KAFKA_LIB; the image must be apache/kafka:$KAFKA_VERSION)"
  local list; list="$(user_list)"
  if [ -n "$USERS" ] && [ -z "$list" ]; then
    die "--users $USERS holds no *.kafka.json: make the principals' credentials first (npm run keys)"
  fi
  prepare
  if [ "$SECURITY" = sasl_ssl ]; then
    admin_client_properties
    if [ "$FORMATTED" = 0 ] && [ -f "$STATE/users.sha256" ] && [ "$(users_digest "$list")" != "$(cat "$STATE/users.sha256")" ]; then
      say "WARNING: the users of --users $USERS changed since this broker was formatted; it keeps the old ones"
      say "(a principal whose password changed is refused): reset this state directory to take them"
    fi
    if [ -n "$CA_OUT" ]; then
      cp "$TLS/ca.pem" "$CA_OUT.tmp" && chmod 644 "$CA_OUT.tmp" && mv -f "$CA_OUT.tmp" "$CA_OUT"
    fi
  fi
  report
  exec java -Xmx512m -Xms128m -XX:+UseSerialGC -Dlog4j2.configurationFile="$HERE/log4j2.console.xml" \
    -cp "$LIB/*" kafka.Kafka "$STATE/server.properties"
}

report() {
  if [ "$(cat "$STATE/security" 2>/dev/null)" = sasl_ssl ]; then
    echo "KAFKA_CA_FILE=$TLS/ca.pem"
    echo "KAFKA_ADMIN_CREDENTIALS=$ADMIN_CREDENTIALS"
  fi
  echo "KAFKA_BROKERS=$(bootstrap)"
}

# SIGTERM to every node named at once (a cluster's last voters would otherwise wait for a quorum that
# is gone), then SIGKILL to any still running after 20 s.
stop() {
  local i pid pids=() nodes=()
  for i in $(all_nodes); do
    if pid="$(running_pid "$i")"; then pids+=("$pid"); nodes+=("$i"); kill -TERM "$pid" 2>/dev/null || true
    else rm -f "$(node_dir "$i")/broker.pid"; fi
  done
  if [ "${#pids[@]}" = 0 ]; then say "no broker running on port $PORT${NODE:+ (node $NODE)}"; return 0; fi
  for _ in $(seq 1 40); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.5
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then say "broker pid $pid did not stop in 20 s: killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for i in "${nodes[@]}"; do rm -f "$(node_dir "$i")/broker.pid"; done
  if [ "$BROKERS" = 1 ]; then say "broker on port $PORT stopped"; else say "node(s) ${nodes[*]} of the cluster on port $PORT stopped"; fi
}

# A crash, not a shutdown: the node gets no chance to hand over its partitions (fault drills).
kill_node() {
  [ -n "$NODE" ] || die "kill needs --node I"
  local pid
  pid="$(running_pid "$NODE")" || die "node $NODE on port $PORT is not running"
  kill -KILL "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$(node_dir "$NODE")/broker.pid"
  say "$(what "$NODE") (pid $pid) killed"
}

status() {
  local i pid down=0
  for i in $(all_nodes); do
    if pid="$(running_pid "$i")"; then
      echo "$([ "$BROKERS" = 1 ] || echo "node $i ")running on 127.0.0.1:$(node_port "$i") (pid $pid, $(cat "$STATE/security" 2>/dev/null || echo plaintext))"
    else
      echo "$([ "$BROKERS" = 1 ] || echo "node $i ")not running (port $(node_port "$i"))"; down=1
    fi
  done
  return "$down"
}

case "$cmd" in
  fetch) fetch ;;
  start) start ;;
  run) run ;;
  users)
    running_pid 1 >/dev/null || die "no broker running on port $PORT"
    [ -n "$USERS" ] || die "users needs --users DIR"
    sync_users ;;
  stop) stop ;;
  kill) kill_node ;;
  status) status ;;
  reset) NODE=""; stop; rm -rf "$STATE"; say "deleted $STATE" ;;
  *) sed -n '2,43p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
