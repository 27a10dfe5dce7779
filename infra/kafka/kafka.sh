#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft, combined broker + controller) on 127.0.0.1,
# run from jars that Maven resolves from Maven Central (see pom.xml) — no Docker.
#
#   infra/kafka/kafka.sh start    resolve jars if needed, format storage once, start, wait until ready
#   infra/kafka/kafka.sh stop     stop the broker (SIGTERM, then SIGKILL after a grace period)
#   infra/kafka/kafka.sh status   print whether it runs; exit 0 when ready, 3 when not running
#   infra/kafka/kafka.sh resolve  only resolve the jars (Java and Maven checked)
#
# Both start and stop are idempotent. Environment:
#   OPSTREAM_KAFKA_DIR    state folder (data, config, log, pid)  default: infra/kafka/.state
#   OPSTREAM_KAFKA_PORT   client listener port                  default: 9092
#                         (the controller listens on PORT + 1)
#   OPSTREAM_KAFKA_HEAP   JVM heap                               default: 512m
#   OPSTREAM_KAFKA_START_TIMEOUT  seconds to wait for readiness  default: 90
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${OPSTREAM_KAFKA_DIR:-$here/.state}"
port="${OPSTREAM_KAFKA_PORT:-9092}"
cport=$((port + 1))
heap="${OPSTREAM_KAFKA_HEAP:-512m}"
timeout="${OPSTREAM_KAFKA_START_TIMEOUT:-90}"
lib="$here/lib"
pidfile="$state/kafka.pid"
logfile="$state/server.log"

say() { printf '[kafka] %s\n' "$*"; }
die() { printf '[kafka] error: %s\n' "$*" >&2; exit 1; }

require_java() {
  command -v java >/dev/null 2>&1 || die "java not found on PATH: Java 17 or newer is required (Debian: apt-get install openjdk-17-jre-headless)"
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)"
  [ -n "$v" ] && [ "$v" -ge 17 ] || die "Java 17 or newer is required, found: $(java -version 2>&1 | head -n 1)"
}

resolve_jars() {
  if [ -f "$lib/.resolved" ] && [ "$lib/.resolved" -nt "$here/pom.xml" ]; then return; fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH: Maven is needed once to resolve Apache Kafka from Maven Central (Debian: apt-get install maven)"
  say "resolving Apache Kafka jars from Maven Central into $lib"
  rm -rf "$lib"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" package || die "mvn could not resolve the Kafka jars (see the output above)"
  ls "$lib"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar in $lib after mvn package"
  touch "$lib/.resolved"
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ready() { port_open "$port" && grep -q 'Kafka Server started' "$logfile" 2>/dev/null; }

write_config() {
  mkdir -p "$state/data"
  cat >"$state/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$state/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=8
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
log.retention.hours=168
log.cleaner.dedupe.buffer.size=16777216
EOF
  cat >"$state/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = info
logger.apache.name = org.apache.kafka
logger.apache.level = warn
logger.appinfo.name = org.apache.kafka.common.utils.AppInfoParser
logger.appinfo.level = info
logger.state.name = state.change.logger
logger.state.level = warn
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = warn
EOF
}

# Sets the array `cmd` to a java command line with the broker's classpath and JVM options.
java_cmd() {
  cmd=(java -Xmx"$heap" -Xms128m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$state/log4j2.properties" -cp "$lib/*" "$@")
}

format_storage() {
  [ -f "$state/data/meta.properties" ] && return
  local id
  java_cmd kafka.tools.StorageTool random-uuid
  id="$("${cmd[@]}" | tail -n 1)"
  say "formatting KRaft storage in $state/data (cluster id $id)"
  java_cmd kafka.tools.StorageTool format --standalone -t "$id" -c "$state/server.properties"
  "${cmd[@]}" >"$state/format.log" 2>&1 \
    || die "storage format failed: $(tail -n 5 "$state/format.log")"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    if ready; then say "already running (pid $pid) on 127.0.0.1:$port"; return; fi
    say "process $pid exists but is not ready yet; waiting"
  else
    require_java
    resolve_jars
    if port_open "$port"; then die "127.0.0.1:$port is already in use by another process (set OPSTREAM_KAFKA_PORT)"; fi
    write_config
    format_storage
    say "starting Apache Kafka $(ls "$lib" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p') on 127.0.0.1:$port (controller :$cport, heap $heap, state $state)"
    : >"$logfile"
    java_cmd kafka.Kafka "$state/server.properties"
    nohup "${cmd[@]}" >>"$logfile" 2>&1 </dev/null &
    echo $! >"$pidfile"
    pid="$(cat "$pidfile")"
  fi
  local waited=0
  until ready; do
    kill -0 "$pid" 2>/dev/null || die "broker exited during start-up; last log lines:
$(tail -n 20 "$logfile")"
    [ "$waited" -ge $((timeout * 5)) ] && die "not ready after ${timeout}s; log: $logfile"
    sleep 0.2
    waited=$((waited + 1))
  done
  say "ready on 127.0.0.1:$port (pid $pid, log $logfile)"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then say "not running"; rm -f "$pidfile"; return; fi
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 150 ]; then say "still running after 30s; sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$pidfile"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    if ready; then say "running (pid $pid) on 127.0.0.1:$port"; return 0; fi
    say "process $pid exists, not ready"; return 3
  fi
  say "not running"; return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  resolve) require_java; resolve_jars; say "jars ready in $lib" ;;
  *) echo "usage: $0 start|stop|status|resolve" >&2; exit 2 ;;
esac
