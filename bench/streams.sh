#!/usr/bin/env bash
# make bench-streams: many concurrent open streams through the router (launcher options), held
# for a while: how many opened, completed and failed, and the router's resident memory.
# A paced upstream (30 events, 1 s apart) and the client are separate JVMs on core 1, the router
# on core 0 (taskset when available). Everything stops by itself: the streams end after ~30 s,
# the client gives up after its own bound, and every process is stopped by its pid at the end.
#
# Usage: bench/streams.sh [STREAMS] (default 9000: each stream takes two of the router's file
# descriptors, and `ulimit -n` caps them; the script says so when the limit is lower).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
JAR=target/llm-api-router.jar
STREAMS=${1:-9000}
[ -f "$JAR" ] || { echo "streams: $JAR missing: run make build first" >&2; exit 1; }
mapfile -t ROUTER_OPTS < <(grep -v '^\s*#' src/main/image/jvm.options | grep -v '^\s*$')
# Extra router JVM options after the launcher's (they win), e.g. ROUTER_OPTS_EXTRA=-Xmx1g.
read -r -a EXTRA <<<"${ROUTER_OPTS_EXTRA:-}"
ROUTER_OPTS+=("${EXTRA[@]}")

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit=$(ulimit -n)
need=$((2 * STREAMS + 200))
if [ "$limit" != unlimited ] && [ "$limit" -lt "$need" ]; then
  echo "streams: the router needs ~$need file descriptors for $STREAMS streams; ulimit -n is" \
    "$limit here (hard limit $(ulimit -Hn)). Run with at most $(((limit - 200) / 2)) streams." >&2
  exit 1
fi

SERVER_CPU=()
LOAD_CPU=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  SERVER_CPU=(taskset -c 0)
  LOAD_CPU=(taskset -c 1)
fi
TMP=$(mktemp -d /tmp/llm-streams.XXXXXX)
mkdir -p "$TMP/conf"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

UPSTREAM=$((20000 + RANDOM % 20000))
"${LOAD_CPU[@]}" "$JAVA" -XX:+UseSerialGC bench/StreamProbe.java upstream "$UPSTREAM" 30 1000 \
  >"$TMP/upstream.out" 2>&1 &
PIDS+=($!)
cat >"$TMP/conf/router.json" <<EOF
{"server": {"host": "127.0.0.1", "port": 0}, "logging": {"dir": "$TMP/logs"},
 "anthropic": [{"name": "paced", "api_key": "streams-key-0000001",
                "base_url": "http://127.0.0.1:$UPSTREAM", "max_retries": 0}]}
EOF
chmod 600 "$TMP/conf/router.json"
"${SERVER_CPU[@]}" env MALLOC_ARENA_MAX=2 "$JAVA" "${ROUTER_OPTS[@]}" -jar "$JAR" serve \
  --config "$TMP/conf/router.json" >"$TMP/router.out" 2>"$TMP/router.err" &
ROUTER=$!
PIDS+=("$ROUTER")
port=
for _ in $(seq 200); do
  port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$TMP/router.out")
  [ -n "$port" ] && grep -q listening "$TMP/upstream.out" && break
  sleep 0.1
done
[ -n "$port" ] || { echo "streams: the router did not start" >&2; cat "$TMP/router.err" >&2; exit 1; }

echo "streams: $STREAMS concurrent streams (30 events 1 s apart) through the router..." >&2
"${LOAD_CPU[@]}" "$JAVA" bench/StreamProbe.java hold "$port" "$STREAMS" 30 >"$TMP/hold.out" 2>&1 &
HOLD=$!
PIDS+=("$HOLD")
# While they are open: the router's memory at the moment every stream is up.
rss_open=
for _ in $(seq 600); do
  if grep -q hold_opened "$TMP/hold.out"; then
    rss_open=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$ROUTER/status")
    if [ -n "${STREAMS_HISTO:-}" ]; then
      "$(dirname "$(command -v "$JAVA")")/jcmd" "$ROUTER" GC.class_histogram >"$STREAMS_HISTO" 2>&1 || true
    fi
    break
  fi
  kill -0 "$HOLD" 2>/dev/null || break
  sleep 0.1
done
timeout 180 tail --pid="$HOLD" -f /dev/null || true
peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$ROUTER/status")
cat "$TMP/hold.out"
errors=$(grep -c '"status":5' "$TMP"/logs/*_errors.jsonl 2>/dev/null || true)
echo "router RSS with all streams open: ${rss_open:-?} MB; peak RSS: $peak MB;" \
  "router-made 5xx in the log: ${errors:-0}; OutOfMemoryError: $(grep -c OutOfMemoryError "$TMP/router.err" || true)"
