#!/usr/bin/env bash
# Start-up to first answered request: starts `serve` (a config with logging on, port 0), polls
# GET /health over bash's /dev/tcp (no process spawned per poll) until it answers 200, and
# prints the median and the spread of RUNS starts. Each router is stopped by its pid at once.
# Usage: bench/startup.sh RUNS COMMAND... (e.g. target/image/bin/llm-api-router, or java -jar X)
set -euo pipefail
runs=$1
shift
work=$(mktemp -d)
pid=
finish() {
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap finish EXIT
# Prints 1 once GET /health answers 200: reads the port from the "listening on" line, then polls
# over bash's /dev/tcp. Bounded: at most ~20000 polls; gives up at once if the router exits.
poll() {
  local port=
  for _ in $(seq 20000); do
    kill -0 "$pid" 2>/dev/null || return
    if [ -z "$port" ]; then
      port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$work/out")
    elif exec 3<>"/dev/tcp/127.0.0.1/$port"; then
      printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
      read -r status <&3 || status=
      exec 3>&-
      case $status in "HTTP/1.1 200"*) echo 1; return ;; esac
    fi
    sleep 0.001
  done
}
times=()
for _ in $(seq "$runs"); do
  cat >"$work/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": 0}, "logging": {"dir": "$work/logs"},
 "openai": [{"name": "a", "api_key": "startup-key-0000", "base_url": "http://127.0.0.1:9/v1"}]}
JSON
  chmod 600 "$work/config.json"
  t0=$(date +%s%N)
  : >"$work/out"
  "$@" serve --config "$work/config.json" >"$work/out" 2>"$work/err" &
  pid=$!
  ok=$(poll 2>/dev/null) || true
  t1=$(date +%s%N)
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  [ -n "$ok" ] || { echo "startup: no answer from $*" >&2; cat "$work/err" >&2; exit 1; }
  times+=($(( (t1 - t0) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
echo "median ${median} ms (min $(head -1 <<<"$sorted"), max $(tail -1 <<<"$sorted"); $runs runs): $*"
