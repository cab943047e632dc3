#!/usr/bin/env bash
# The managed Apache Kafka broker: a real single-node KRaft broker on 127.0.0.1, fetched from Maven
# Central, for machines without Docker. Secured by default (docs/security.md): SASL_SSL (SCRAM-SHA-512
# over TLS) for clients, TLS with a required client certificate on the controller port, ACLs enforced
# (StandardAuthorizer, deny when no ACL matches). Nothing listens in plaintext unless --plaintext.
#
#   tools/kafka/kafka.sh fetch                       resolve the pinned broker jars (cached)
#   tools/kafka/kafka.sh start  [--port N] [--state-dir D] [--users DIR] [--plaintext]
#                                                    start and wait until it serves
#   tools/kafka/kafka.sh run    [same as start] [--listen ADDR] [--listener NAME=HOST:PORT]… [--ca-out FILE]
#                                                    prepare, then run the broker in the foreground
#                                                    (a container's command: no fetch, no pid file)
#   tools/kafka/kafka.sh users  [--port N] --users DIR   create or update SCRAM users of a running broker
#   tools/kafka/kafka.sh stop   [--port N]           stop (SIGTERM, then SIGKILL after 20 s)
#   tools/kafka/kafka.sh status [--port N]
#   tools/kafka/kafka.sh reset  [--port N]           stop and delete that broker's data
#
# --users DIR: every DIR/*.kafka.json ({"username": "...", "password": "..."}, written by `npm run keys`)
# becomes a SCRAM-SHA-512 user of the broker. The broker's own admin credentials and TLS material are
# generated once per state directory (mode 0600 / 0700). `start` ends by printing
#   KAFKA_CA_FILE=<the CA certificate clients trust, PEM>
#   KAFKA_ADMIN_CREDENTIALS=<the admin principal's credentials file>
#   KAFKA_BROKERS=127.0.0.1:<port>                  (always the last line)
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
CONTROLLER_PORT=$((PORT + 1))
PIDFILE="$STATE/broker.pid"
TLS="$STATE/tls"
ADMIN_CREDENTIALS="$STATE/admin.kafka.json"

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

write_properties() {
  mkdir -p "$STATE/data"
  local listeners protocol_map security
  if [ "$SECURITY" = sasl_ssl ]; then
    local pw; pw="$(cat "$TLS/store-password")"
    local jaas l name bind=",CONTROLLER://127.0.0.1:$CONTROLLER_PORT" advertised="" map="" logins=""
    jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(cred_field "$ADMIN_CREDENTIALS" password)\";"
    for l in "${EXTRA_LISTENERS[@]}"; do
      name="${l%%=*}"
      bind="$bind,$name://$LISTEN:${l##*:}"
      advertised="$advertised,$name://${l#*=}"
      map="$map,$name:SASL_SSL"
      logins="$logins
listener.name.$(echo "$name" | tr 'A-Z' 'a-z').scram-sha-512.sasl.jaas.config=$jaas"
    done
    listeners="listeners=SASL_SSL://$LISTEN:$PORT$bind
advertised.listeners=SASL_SSL://127.0.0.1:$PORT$advertised
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
    listeners="listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT"
    security="# --plaintext: no authentication, no authorisation (a developer's broker, never a network's)"
  fi
  (umask 077; cat >"$STATE/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
$listeners
controller.listener.names=CONTROLLER
$security
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
  echo "$list" | java -cp "$LIB/*" "$HERE/ScramUsers.java" "127.0.0.1:$PORT" "$STATE/admin-client.properties" \
    >"$STATE/users.log" 2>&1 || { tail -n 5 "$STATE/users.log" >&2; die "could not set the brokers' SCRAM users"; }
  say "SCRAM users up to date: $(echo "$list" | cut -d' ' -f1 | tr '\n' ' ')"
}

# What `start` and `run` share: the secrets, server.properties, and on first use the KRaft storage,
# formatted with the admin and every --users user as SCRAM-SHA-512 users. Sets FORMATTED=1 then.
prepare() {
  if [ -f "$STATE/data/meta.properties" ] && [ "$(cat "$STATE/security" 2>/dev/null || echo plaintext)" != "$SECURITY" ]; then
    die "the broker in $STATE was formatted for $(cat "$STATE/security" 2>/dev/null || echo plaintext); reset it first (kafka.sh reset --port $PORT)"
  fi
  ensure_secrets
  write_properties
  FORMATTED=0
  [ -f "$STATE/data/meta.properties" ] && return 0
  local cp="$LIB/*" uuid scram=() name password list=""
  uuid="$(java -cp "$cp" kafka.tools.StorageTool random-uuid)"
  if [ "$SECURITY" = sasl_ssl ]; then
    list="$(user_list)"
    scram+=(--add-scram "SCRAM-SHA-512=[name=admin,password=$(cred_field "$ADMIN_CREDENTIALS" password)]")
    while read -r name password; do
      [ -n "$name" ] && scram+=(--add-scram "SCRAM-SHA-512=[name=$name,password=$password]")
    done <<<"$list"
  fi
  # The tool prints salts and stored keys of the users: its output goes to a private file only.
  (umask 077; java -cp "$cp" kafka.tools.StorageTool format -t "$uuid" -c "$STATE/server.properties" \
    "${scram[@]}" >"$STATE/format.log" 2>&1) \
    || { grep -v -i 'scram' "$STATE/format.log" >&2; die "formatting KRaft storage failed"; }
  if command -v sha256sum >/dev/null; then (umask 077; users_digest "$list" >"$STATE/users.sha256"); fi
  FORMATTED=1
}

# A digest of the users' names and passwords, to notice that --users DIR changed after formatting.
users_digest() { printf '%s\n' "$1" | sha256sum | cut -d' ' -f1; }

start() {
  if pid="$(running_pid)"; then
    say "broker already running on 127.0.0.1:$PORT (pid $pid)"
    [ -n "$USERS" ] && sync_users
    report; return 0
  fi
  port_busy "$PORT" && die "port $PORT is in use by another process; choose another with --port"
  port_busy "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT is in use; choose another --port"
  fetch
  local cp="$LIB/*" started=$SECONDS
  prepare
  # setsid: the broker outlives this script and is not hit by the caller's Ctrl-C; `stop` ends it.
  setsid nohup java -Xmx512m -Xms128m -XX:+UseSerialGC -Dkafka.logs.dir="$STATE" \
    -Dlog4j2.configurationFile="$HERE/log4j2.xml" -cp "$cp" kafka.Kafka "$STATE/server.properties" \
    >"$STATE/stdout.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! node "$HERE/wait-ready.js" "127.0.0.1:$PORT" 60 "$SECURITY" "$TLS/ca.pem" "$ADMIN_CREDENTIALS"; then
    say "the broker did not serve within 60 s; last log lines:"
    tail -n 40 "$STATE/server.log" "$STATE/stdout.log" >&2 2>/dev/null || true
    stop; exit 1
  fi
  [ "$FORMATTED" = 0 ] && sync_users
  say "broker serving on 127.0.0.1:$PORT ($SECURITY) after $((SECONDS - started)) s (state: $STATE)"
  report
}

# A container's broker: the jars are the image's (no Maven), the process is the container's main
# process (logs on stdout, SIGTERM from `docker stop` ends it cleanly), readiness is the caller's
# health check (it can use admin-client.properties in the state directory).
run() {
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
  run) run ;;
  users)
    running_pid >/dev/null || die "no broker running on port $PORT"
    [ -n "$USERS" ] || die "users needs --users DIR"
    sync_users ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then echo "running on 127.0.0.1:$PORT (pid $pid, $(cat "$STATE/security" 2>/dev/null || echo plaintext))"; else echo "not running (port $PORT)"; exit 1; fi ;;
  reset) stop; rm -rf "$STATE"; say "deleted $STATE" ;;
  *) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
