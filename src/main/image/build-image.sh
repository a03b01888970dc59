#!/usr/bin/env bash
# make image: a jlink runtime image at target/image with only the modules the router needs, its
# launcher bin/llm-api-router, the JDK's CDS archive for those modules and, on JDK 25+, an AOT
# cache recorded by a short training run (the router serving the built-in mock), which the
# launcher uses. Usage: build-image.sh JDK_HOME (the JDK that built the jars).
set -euo pipefail
cd "$(dirname "$0")/../../.."
JDK_HOME=${1:?usage: build-image.sh JDK_HOME}
IMAGE=target/image
HERE=src/main/image
MODULES=target/image-modules # Jackson's jars (make image copies them there)
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
JAR=target/llm-api-router-$version.jar # the modular jar (module dev.llmrouter)
[ -f "$JAR" ] || { echo "image: $JAR missing: run make build first" >&2; exit 1; }
[ -d "$MODULES" ] || { echo "image: $MODULES missing: run make image" >&2; exit 1; }
MAJOR=$("$JDK_HOME/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p')

# The router and Jackson go into the image as modules, next to the JDK's own: the JVM then reads
# every class from the image's lib/modules, and an AOT cache checks that file by its size only.
# A jar on the class path is checked by its timestamp too, so a copy of the image made without
# keeping timestamps (cp -r) would print "[error][aot] shared class paths mismatch" on every start.
# jlink resolves what the modules require (module-info.java); jdeps' java.desktop and java.sql are
# Jackson's optional "requires static" and stay out (about 40 MB, never reached).
modules=dev.llmrouter
if [ "$MAJOR" -le 21 ]; then
  modules="$modules,jdk.crypto.ec" # TLS to providers: a service module jlink does not resolve (JDK <= 21)
fi
echo "image: JDK $MAJOR, modules $modules and what they require"

rm -rf "$IMAGE"
"$JDK_HOME/bin/jlink" --module-path "$MODULES:$JAR" \
  --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --generate-cds-archive --output "$IMAGE"
# The JDK ships libjvm.so with its full symbol table (for native debuggers); the dynamic symbols
# the JVM and crash reports use stay. 30 -> 25 MB.
if command -v strip >/dev/null; then
  strip --strip-unneeded "$IMAGE"/lib/server/libjvm.so
fi
# The launcher's heap cap keeps compressed oops on, so the second archive (for -XX:-UseCompressedOops)
# is never mapped: 14 MB less.
rm -f "$IMAGE"/lib/server/classes_nocoops.jsa
# The launcher's JVM options, each one checked against this JDK (a JDK 21 may lack some).
options=
while read -r opt; do
  if "$IMAGE/bin/java" "$opt" -version >/dev/null 2>&1; then
    options="$options $opt"
  else
    echo "image: JDK $MAJOR does not take $opt: left out of the launcher" >&2
  fi
done < <(grep -v '^\s*#' "$HERE/jvm.options" | grep -v '^\s*$')
options=${options# }
sed "s|@JVM_OPTIONS@|$options|" "$HERE/llm-api-router" >"$IMAGE/bin/llm-api-router"
chmod 755 "$IMAGE/bin/llm-api-router"

if [ "$MAJOR" -ge 25 ]; then
  # JDK 25 (JEP 514/515): a training run records which classes load and link and how hot methods
  # behave; later starts map that cache. It must be made with the same JVM, jar path and options
  # the launcher uses, so the training goes through the launcher itself.
  echo "image: AOT training run"
  work=$(mktemp -d)
  pids=()
  # shellcheck disable=SC2317 # called by the trap
  finish() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
  }
  trap finish EXIT
  port_of() { # FILE: the first port number printed in it, waiting up to 20 s
    for _ in $(seq 200); do
      p=$(grep -o '127.0.0.1:[0-9]*' "$1" 2>/dev/null | head -1 | cut -d: -f2)
      [ -n "$p" ] && { echo "$p"; return; }
      sleep 0.1
    done
    echo "image: training: nothing started (see $1)" >&2
    cat "$1" >&2
    exit 1
  }
  "$IMAGE/bin/llm-api-router" mock --port 0 >"$work/mock.out" 2>&1 &
  pids+=($!)
  mock=$(port_of "$work/mock.out")
  cat >"$work/config.json" <<EOF
{"server": {"host": "127.0.0.1", "port": 0}, "logging": {"dir": "$work/logs"},
 "openai": [{"name": "train", "api_key": "training-key-0000", "base_url": "http://127.0.0.1:$mock/v1"}],
 "anthropic": [{"name": "train", "api_key": "training-key-0000", "base_url": "http://127.0.0.1:$mock"}]}
EOF
  chmod 600 "$work/config.json"
  LLM_ROUTER_JAVA_OPTS="-XX:AOTCacheOutput=$IMAGE/lib/llm-api-router.aot" \
    "$IMAGE/bin/llm-api-router" serve --config "$work/config.json" >"$work/router.out" 2>&1 &
  router_pid=$!
  pids+=("$router_pid")
  router=http://127.0.0.1:$(port_of "$work/router.out")
  chat='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}'
  msg='{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}'
  for _ in $(seq 30); do
    curl -sf -o /dev/null -m 2 "$router/health"
    curl -sf -o /dev/null -m 2 -H 'Content-Type: application/json' -d "$chat" \
      "$router/openai/chat/completions"
    curl -sf -o /dev/null -m 2 -H 'Content-Type: application/json' \
      -d "${chat%\}},\"stream\":true}" "$router/openai/chat/completions"
    curl -sf -o /dev/null -m 2 -H 'Content-Type: application/json' -d "$msg" \
      "$router/anthropic/v1/messages"
    curl -sf -o /dev/null -m 2 -H 'Content-Type: application/json' \
      -d "${msg%\}},\"stream\":true}" "$router/anthropic/v1/messages"
  done
  # SIGTERM: the router shuts down gracefully and the JVM writes the cache on its way out.
  kill "$router_pid"
  for _ in $(seq 300); do kill -0 "$router_pid" 2>/dev/null || break; sleep 0.1; done
  if [ -s "$IMAGE/lib/llm-api-router.aot" ]; then
    # The launcher maps the AOT cache, which holds every class the CDS archive would have
    # given (and more), so that archive would never be read: 14 MB less. bin/java alone then
    # starts without CDS.
    rm -f "$IMAGE"/lib/server/classes.jsa
  else
    echo "image: warning: no AOT cache was written; the image starts with CDS only" >&2
    cat "$work/router.out" >&2
    rm -f "$IMAGE/lib/llm-api-router.aot"
  fi
fi

"$IMAGE/bin/llm-api-router" --version
echo "image: $IMAGE, $(du -sh "$IMAGE" | cut -f1)"
