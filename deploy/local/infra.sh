#!/usr/bin/env bash
# Starts and stops a real Apache Kafka (KRaft) and a real Elasticsearch 8 node on 127.0.0.1 (and, on
# request, an OpenSearch 2 node), fetched from Maven Central and cached, for local runs of canhgac and
# its tests. No Docker needed.
#
#   deploy/local/infra.sh up     [kafka|es|os]   fetch if needed, start, wait until healthy, print addresses
#   deploy/local/infra.sh down   [kafka|es|os]   stop what this script started (pid file), cleanly
#   deploy/local/infra.sh status [kafka|es|os]   print what is running
#   deploy/local/infra.sh fetch  [kafka|es|os]   only download/build (CI can cache ~/.m2)
# Without a server name: Kafka and Elasticsearch (OpenSearch only when named, or with all+os).
#
# Settings (environment):
#   CANHGAC_KAFKA_PORT (9092)  CANHGAC_KAFKA_CONTROLLER_PORT (9093)  CANHGAC_KAFKA_HEAP (512m)
#   CANHGAC_ES_PORT (9200)     CANHGAC_ES_TRANSPORT_PORT (9300)      CANHGAC_ES_HEAP (768m)
#   CANHGAC_OS_PORT (9201)     CANHGAC_OS_TRANSPORT_PORT (9301)      CANHGAC_OS_HEAP (512m)
#   CANHGAC_OS_VERSION (the pom's, 2.19.6; 3.x runs with JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64)
#   CANHGAC_INFRA_DIR (deploy/local/.cache): jars, data, logs and pid files live under it
#   CANHGAC_INFRA_FRESH=1: wipe the data of a server before starting it
#   JAVA_HOME: the Java to run both with (17 or later; default: java on PATH)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
ES_VERSION="$(sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$HERE/es-launcher/pom.xml")"
# CANHGAC_OS_VERSION picks another OpenSearch release (3.x needs JAVA_HOME at Java 21 or later).
OS_VERSION="${CANHGAC_OS_VERSION:-$(sed -n 's:.*<os.version>\(.*\)</os.version>.*:\1:p' "$HERE/os-launcher/pom.xml")}"
INFRA_DIR="${CANHGAC_INFRA_DIR:-$HERE/.cache}"
KAFKA_PORT="${CANHGAC_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${CANHGAC_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${CANHGAC_KAFKA_HEAP:-512m}"
ES_PORT="${CANHGAC_ES_PORT:-9200}"
ES_TRANSPORT_PORT="${CANHGAC_ES_TRANSPORT_PORT:-9300}"
ES_HEAP="${CANHGAC_ES_HEAP:-768m}"
OS_PORT="${CANHGAC_OS_PORT:-9201}"
OS_TRANSPORT_PORT="${CANHGAC_OS_TRANSPORT_PORT:-9301}"
OS_HEAP="${CANHGAC_OS_HEAP:-512m}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
MVN=(mvn -q -B -Dstyle.color=never)

KAFKA_LIB="$INFRA_DIR/kafka-$KAFKA_VERSION/lib"
KAFKA_RUN="$INFRA_DIR/run/kafka-$KAFKA_PORT"
ES_BUILD="$INFRA_DIR/es-launcher-$ES_VERSION"
ES_RUN="$INFRA_DIR/run/es-$ES_PORT"
OS_BUILD="$INFRA_DIR/os-launcher-$OS_VERSION"
OS_RUN="$INFRA_DIR/run/os-$OS_PORT"

log() { echo "infra: $*" >&2; }
die() { echo "infra: error: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- Kafka

kafka_fetch() {
  [[ -f "$KAFKA_LIB/.complete" ]] && return 0
  log "fetching Apache Kafka $KAFKA_VERSION (kafka_2.13 and its runtime jars) with Maven"
  local t0; t0=$(now_ms)
  rm -rf "$KAFKA_LIB"
  "${MVN[@]}" -f "$HERE/kafka/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB" >&2 || die "Maven could not fetch Kafka $KAFKA_VERSION (see above)"
  touch "$KAFKA_LIB/.complete"
  log "Kafka jars ready in $(( ($(now_ms) - t0) / 1000 ))s: $KAFKA_LIB"
}

kafka_write_config() {
  mkdir -p "$KAFKA_RUN/data"
  cat > "$KAFKA_RUN/server.properties" <<EOF
# Single combined broker + controller in KRaft mode, loopback only (written by deploy/local/infra.sh).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_RUN/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# canhgac creates its topics itself, with the partitions and replication it is configured with.
auto.create.topics.enable=false
log.retention.hours=168
EOF
  cat > "$KAFKA_RUN/log4j2.properties" <<EOF
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = $KAFKA_RUN/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
logger.state.name = state.change.logger
logger.state.level = warn
EOF
}

kafka_up() {
  if pid_alive "$KAFKA_RUN/pid" && port_open "$KAFKA_PORT"; then
    echo "kafka: 127.0.0.1:$KAFKA_PORT (already running, pid $(cat "$KAFKA_RUN/pid"))"; return 0
  fi
  if port_open "$KAFKA_PORT"; then
    echo "kafka: 127.0.0.1:$KAFKA_PORT (something else already listens there; reusing it)"; return 0
  fi
  kafka_fetch
  [[ "${CANHGAC_INFRA_FRESH:-}" == 1 ]] && rm -rf "$KAFKA_RUN"
  kafka_write_config
  local cp="$KAFKA_LIB/*"
  if [[ ! -f "$KAFKA_RUN/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$("$JAVA" -cp "$cp" -Dlog4j2.configurationFile="$KAFKA_RUN/log4j2.properties" kafka.tools.StorageTool random-uuid)"
    "$JAVA" -cp "$cp" -Dlog4j2.configurationFile="$KAFKA_RUN/log4j2.properties" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$KAFKA_RUN/server.properties" >"$KAFKA_RUN/format.log" 2>&1 \
      || die "formatting Kafka storage failed: $(cat "$KAFKA_RUN/format.log")"
  fi
  : >"$KAFKA_RUN/server.log"
  local t0; t0=$(now_ms)
  # setsid: the broker outlives the shell (and a jest worker) that started it; infra.sh down stops it.
  setsid "$JAVA" -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$KAFKA_RUN/log4j2.properties" \
    -cp "$cp" kafka.Kafka "$KAFKA_RUN/server.properties" >"$KAFKA_RUN/stdout.log" 2>&1 </dev/null 9>&- &
  echo $! >"$KAFKA_RUN/pid"
  local pid; pid=$(cat "$KAFKA_RUN/pid")
  for _ in $(seq 1 1200); do
    kill -0 "$pid" 2>/dev/null || die "Kafka exited while starting; see $KAFKA_RUN/server.log and $KAFKA_RUN/stdout.log: $(tail -5 "$KAFKA_RUN/stdout.log" "$KAFKA_RUN/server.log")"
    if grep -q "Kafka Server started" "$KAFKA_RUN/server.log" && port_open "$KAFKA_PORT"; then
      log "Kafka $KAFKA_VERSION healthy in $(( $(now_ms) - t0 ))ms (pid $pid, heap $KAFKA_HEAP, data $KAFKA_RUN/data)"
      echo "kafka: 127.0.0.1:$KAFKA_PORT"; return 0
    fi
    sleep 0.1
  done
  die "Kafka did not become healthy within 120s; see $KAFKA_RUN/server.log"
}

# ---------------------------------------------------------------- Elasticsearch and OpenSearch
# One real node each, from Maven Central jars: deploy/local/es-launcher (Elasticsearch 8) and
# deploy/local/os-launcher (OpenSearch 2, Apache 2.0; many government clusters run it). Both are
# built, started and checked the same way; `node_*` take the kind (es | os).

http_healthy() { # port; plain bash HTTP, so a machine without curl works too
  port_open "$1" || return 1
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET /_cluster/health?wait_for_status=yellow&timeout=1s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    cat <&3' _ "$1" 2>/dev/null | grep -qE '"status" ?: ?"(green|yellow)"'
}

java_major() { "$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = \([0-9]*\).*/\1/p' | head -1; }

node_vars() { # kind -> NAME LABEL VERSION PORT TPORT HEAP BUILD RUN SRC MAIN PROP
  case "$1" in
    es) NAME=Elasticsearch LABEL=elasticsearch VERSION=$ES_VERSION PORT=$ES_PORT TPORT=$ES_TRANSPORT_PORT HEAP=$ES_HEAP
        BUILD=$ES_BUILD RUN=$ES_RUN SRC=es-launcher MAIN=canhgac.es.Launcher PROP=canhgac.es WHAT="server, transport-netty4, test framework" ;;
    os) NAME=OpenSearch LABEL=opensearch VERSION=$OS_VERSION PORT=$OS_PORT TPORT=$OS_TRANSPORT_PORT HEAP=$OS_HEAP
        BUILD=$OS_BUILD RUN=$OS_RUN SRC=os-launcher MAIN=canhgac.os.Launcher PROP=canhgac.os WHAT="server, transport-netty4-client, test framework" ;;
  esac
}

node_fetch() { # kind
  local NAME LABEL VERSION PORT TPORT HEAP BUILD RUN SRC MAIN PROP WHAT; node_vars "$1"
  local jar="$BUILD/$SRC-1.jar"
  if [[ -f "$jar" && -f "$BUILD/lib/.complete" && "$jar" -nt "$HERE/$SRC/pom.xml" \
        && "$jar" -nt "$HERE/$SRC/src/main/java/${MAIN//.//}.java" ]]; then return 0; fi
  local extra=()
  if [[ "$1" == os ]]; then
    extra=(-Dos.version="$VERSION")
    if [[ "${VERSION%%.*}" -ge 3 ]]; then
      (( $(java_major) >= 21 )) || die "OpenSearch $VERSION needs Java 21 or later; $JAVA is Java $(java_major): set JAVA_HOME (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)"
      extra+=(-Dmaven.compiler.release=21)
    fi
  fi
  log "fetching $NAME $VERSION ($WHAT) and building the launcher with Maven"
  local t0; t0=$(now_ms)
  rm -rf "$BUILD"
  "${MVN[@]}" -f "$HERE/$SRC/pom.xml" -Dcanhgac.build.dir="$BUILD" "${extra[@]}" package >&2 \
    || die "Maven could not build deploy/local/$SRC (see above)"
  touch "$BUILD/lib/.complete"
  log "$NAME jars and launcher ready in $(( ($(now_ms) - t0) / 1000 ))s: $BUILD"
}

node_up() { # kind
  local NAME LABEL VERSION PORT TPORT HEAP BUILD RUN SRC MAIN PROP WHAT; node_vars "$1"
  if pid_alive "$RUN/pid" && http_healthy "$PORT"; then
    echo "$LABEL: http://127.0.0.1:$PORT (already running, pid $(cat "$RUN/pid"))"; return 0
  fi
  if http_healthy "$PORT"; then
    echo "$LABEL: http://127.0.0.1:$PORT (something else already serves there; reusing it)"; return 0
  fi
  local upper; upper=$(tr a-z A-Z <<<"$1")
  port_open "$PORT" && die "127.0.0.1:$PORT is taken by something that is not a healthy $NAME; set CANHGAC_${upper}_PORT"
  node_fetch "$1"
  [[ "${CANHGAC_INFRA_FRESH:-}" == 1 ]] && rm -rf "$RUN"
  mkdir -p "$RUN/home"
  local t0; t0=$(now_ms)
  setsid "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
    -D"$PROP".home="$RUN/home" -D"$PROP".http.port="$PORT" -D"$PROP".transport.port="$TPORT" \
    -cp "$BUILD/$SRC-1.jar:$BUILD/lib/*" "$MAIN" >"$RUN/server.log" 2>&1 </dev/null 9>&- &
  echo $! >"$RUN/pid"
  local pid; pid=$(cat "$RUN/pid")
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || die "$NAME exited while starting; see $RUN/server.log: $(tail -20 "$RUN/server.log")"
    if http_healthy "$PORT"; then
      log "$NAME $VERSION healthy in $(( $(now_ms) - t0 ))ms (pid $pid, heap $HEAP, data $RUN/home/data)"
      echo "$LABEL: http://127.0.0.1:$PORT"; return 0
    fi
    sleep 0.2
  done
  die "$NAME did not become healthy within 120s; see $RUN/server.log"
}

# ---------------------------------------------------------------- common

stop_pid() { # name, run dir
  local name="$1" run="$2"
  if ! pid_alive "$run/pid"; then rm -f "$run/pid"; echo "$name: not running (started by this script)"; return 0; fi
  local pid; pid=$(cat "$run/pid")
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$run/pid"; echo "$name: stopped (pid $pid)"; return 0; }
    sleep 0.1
  done
  log "$name did not stop within 30s of SIGTERM; killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$run/pid"; echo "$name: killed (pid $pid)"
}

status_of() { # name, run dir, address
  if pid_alive "$2/pid"; then echo "$1: running, pid $(cat "$2/pid"), $3"; else echo "$1: not running"; fi
}

cmd="${1:-}"; what="${2:-all}"
case "$what" in kafka|es|os|all|all+os) ;; *) die "unknown server '$what': use kafka, es, os, all+os or nothing for Kafka and Elasticsearch" ;; esac
want() { [[ "$what" == "$1" || ( "$1" != os && "$what" == all ) || "$what" == all+os ]]; }
mkdir -p "$INFRA_DIR/run"
# Parallel test workers may all ask for the servers at once: one at a time starts or stops them (servers get 9>&- so they do not hold the lock).
if [[ "$cmd" == up || "$cmd" == down || "$cmd" == fetch ]]; then exec 9>"$INFRA_DIR/run/.lock"; flock 9; fi
case "$cmd" in
  up)     want kafka && kafka_up; want es && node_up es; want os && node_up os; true ;;
  down)   want os && stop_pid opensearch "$OS_RUN"; want es && stop_pid elasticsearch "$ES_RUN"; want kafka && stop_pid kafka "$KAFKA_RUN"; true ;;
  status) want kafka && status_of kafka "$KAFKA_RUN" "127.0.0.1:$KAFKA_PORT"
          want es && status_of elasticsearch "$ES_RUN" "http://127.0.0.1:$ES_PORT"
          want os && status_of opensearch "$OS_RUN" "http://127.0.0.1:$OS_PORT"; true ;;
  fetch)  want kafka && kafka_fetch; want es && node_fetch es; want os && node_fetch os; true ;;
  *) die "usage: infra.sh up|down|status|fetch [kafka|es|os|all+os]" ;;
esac
