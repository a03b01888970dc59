#!/usr/bin/env bash
# CI: a runtime image's launcher (default: make image's) prints its version, checks a config and
# answers /health through a real serve with a temporary config on a free port, with not one line
# on stderr until it is stopped (an AOT cache that does not match its image prints "[error][aot]").
# Stops the router itself (SIGTERM: a clean drain exits 0) and removes what it made.
# Usage: image-check.sh [LAUNCHER]
set -euo pipefail
cd "$(dirname "$0")/.."
LAUNCHER=${1:-target/image/bin/llm-api-router}
command -v "$LAUNCHER" >/dev/null || { echo "image-check: $LAUNCHER missing: run make image" >&2; exit 1; }

version=$("$LAUNCHER" --version 2>"${TMPDIR:-/tmp}/image-check.$$.err")
errors=$(cat "${TMPDIR:-/tmp}/image-check.$$.err")
rm -f "${TMPDIR:-/tmp}/image-check.$$.err"
echo "image-check: $version"
# A stale or mismatched AOT cache still starts, but slowly and with "[error][aot]" lines.
if [ -n "$errors" ]; then
  echo "image-check: the launcher printed on stderr:" >&2
  echo "$errors" >&2
  exit 1
fi
case $version in
  "llm-api-router "*) ;;
  *) echo "image-check: unexpected --version output" >&2; exit 1 ;;
esac

work=$(mktemp -d)
pid=
finish() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap finish EXIT
cat >"$work/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": 0}, "logging": {"dir": "$work/logs"},
 "openai": [{"name": "check", "api_key": "image-check-key", "base_url": "http://127.0.0.1:9/v1"}]}
JSON
chmod 600 "$work/config.json"
"$LAUNCHER" check --config "$work/config.json" >"$work/check.out" 2>"$work/check.err" || {
  echo "image-check: check failed" >&2
  cat "$work/check.out" "$work/check.err" >&2
  exit 1
}
if [ -s "$work/check.err" ]; then
  echo "image-check: check printed on stderr:" >&2
  cat "$work/check.err" >&2
  exit 1
fi
echo "image-check: check: $(head -1 "$work/check.out")"
"$LAUNCHER" serve --config "$work/config.json" >"$work/out" 2>"$work/err" &
pid=$!
port=
for _ in $(seq 300); do
  port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$work/out" 2>/dev/null || true)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "image-check: the router did not start" >&2
  cat "$work/out" "$work/err" >&2
  exit 1
fi
health=$(curl -sf -m 5 "http://127.0.0.1:$port/health")
echo "image-check: /health $health"
grep -q '"status":"ok"' <<<"$health" || { echo "image-check: unexpected /health" >&2; exit 1; }
if [ -s "$work/err" ]; then
  echo "image-check: serve printed on stderr:" >&2
  cat "$work/err" >&2
  exit 1
fi
kill "$pid"
status=0
wait "$pid" || status=$?
pid=
if [ "$status" -ne 0 ]; then
  echo "image-check: the router exited with $status" >&2
  exit 1
fi
echo "image-check: ok"
