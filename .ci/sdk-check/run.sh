#!/usr/bin/env bash
# Proves that the official OpenAI and Anthropic Node SDKs, and the client libraries built on them
# (Vercel AI SDK, LangChain JS), work unchanged through the router, streaming and mid-stream errors
# included. Everything runs on 127.0.0.1 with free ports:
#   upstream.mjs   a fake provider speaking both wire formats (node:http, no deps): Chat
#                  Completions, Messages, the Responses API, embeddings, legacy completions and
#                  count_tokens (its upstream-*.mjs parts)
#   the router     serve, with a generated config whose providers point at that upstream, every
#                  one of them declaring its models (aliases, a pattern, "auth" and "headers" too)
#   a second one   ("open") whose providers include one without models, so that its model lists
#                  merge the declared names with that provider's own list
#   two more       for the coding agents, on the upstream's /agent prefix: "agents" (same family,
#                  behind a first provider per endpoint that is always rate limited, /limited) and
#                  "cross" (an "api": "anthropic" provider on /openai, an "api": "openai" one on
#                  /anthropic: every request is translated)
#   check.mjs      the SDKs, pointed at the router by base URL only, then the client libraries
#                  (clients.mjs) the same way, then the Responses API (responses.mjs), embeddings,
#                  legacy completions and count_tokens (endpoints.mjs) through the first router,
#                  then tool calls through "cross" (cross.mjs: the SDKs and the AI SDK, model
#                  "cross-tool"), then the coding agents (agents.mjs, Codex CLI included) through
#                  the last two routers; one closing "N passed, M failed, K skipped" line for all
# Exits with check.mjs's status (0 only when no check failed; a SKIP is not a failure).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

STARTUP_SECONDS=20

say() { echo "sdk-check: $*"; }
die() {
  echo "sdk-check: error: $*" >&2
  exit 1
}

# ---------------------------------------------------------------------------- prerequisites
jdk="$(.ci/find-jdk.sh)" || exit 1
java="${jdk%% *}/bin/java"
command -v node >/dev/null || die "node not found (Node >= 20 is needed)"
command -v npm >/dev/null || die "npm not found"
command -v curl >/dev/null || die "curl not found"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node >= 20 is needed, found $(node --version)"

jar="$root/target/llm-api-router.jar"
if [ ! -f "$jar" ]; then
  say "building the jar"
  make build
fi

say "npm ci in .ci/sdk-check"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

# ---------------------------------------------------------------------------- processes
tmp="$(mktemp -d "${TMPDIR:-/tmp}/sdk-check.XXXXXX")"
upstream_pid=""
router_pid=""
open_pid=""
agents_pid=""
cross_pid=""
status=1

stop() { # $1 = pid: SIGTERM, then SIGKILL after 5 s
  local pid="$1" i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  # The agents' process groups (agents.mjs kills each when its run ends; this is for a check.mjs
  # stopped by its timeout midway). Only groups that agents.mjs started, by their leader's id.
  if [ -f "$tmp/agent-pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null || true
    done <"$tmp/agent-pids"
  fi
  stop "$router_pid"
  stop "$open_pid"
  stop "$agents_pid"
  stop "$cross_pid"
  stop "$upstream_pid"
  if [ "$status" -eq 0 ]; then
    rm -rf "$tmp"
  else
    echo "sdk-check: FAILED; router and upstream output kept in $tmp" >&2
    for f in router.out router.err open.out open.err agents.err cross.err upstream.err; do
      if [ -s "$tmp/$f" ]; then
        echo "---- $f (last 40 lines)" >&2
        tail -n 40 "$tmp/$f" >&2
      fi
    done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

deadline=$((SECONDS + STARTUP_SECONDS))
# wait_for FILE REGEX: prints the first capture group of the first matching line, bounded by the
# start-up deadline; fails when the deadline passes or the process ($3) has exited.
wait_for() {
  local file="$1" regex="$2" pid="$3" value
  while ((SECONDS < deadline)); do
    value="$(sed -n -E "s#${regex}#\\1#p" "$file" 2>/dev/null | head -n 1)"
    if [ -n "$value" ]; then
      echo "$value"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

key() { echo "sk-sdkcheck-$1-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"; }
k_oa1="$(key openai1)"
k_oa2="$(key openai2)"
k_an1="$(key anthropic1)"
k_an2="$(key anthropic2)"
k_oa3="$(key openai3)"
k_oa4="$(key openai4)"
k_an3="$(key anthropic3)"
k_agent_oa="$(key agent-openai)"
k_agent_an="$(key agent-anthropic)"
k_limited_oa="$(key limited-openai)"
k_limited_an="$(key limited-anthropic)"

# (a) the upstream
UPSTREAM_KEYS="{\"openai\":\"$k_oa1\",\"openai-second\":\"$k_oa2\",\"openai-alias\":\"$k_oa3\",\"openai-azure\":\"$k_oa4\",\"anthropic\":\"$k_an1\",\"anthropic-second\":\"$k_an2\",\"anthropic-alias\":\"$k_an3\",\"agent-openai\":\"$k_agent_oa\",\"agent-anthropic\":\"$k_agent_an\",\"limited-openai\":\"$k_limited_oa\",\"limited-anthropic\":\"$k_limited_an\"}" \
  node "$here/upstream.mjs" >"$tmp/upstream.out" 2>"$tmp/upstream.err" &
upstream_pid=$!
up_port="$(wait_for "$tmp/upstream.out" '^([0-9]+)$' "$upstream_pid")" ||
  die "the upstream did not print its port within ${STARTUP_SECONDS}s"
up="http://127.0.0.1:$up_port"
say "upstream on $up"

# (b) the router, in front of five OpenAI and three Anthropic providers on that upstream. Each
# declares its models: the first two per endpoint the names the existing checks use (ok, rate,
# rate-all, break; for responses.mjs and endpoints.mjs resp-ok, resp-break and one "rate-..." name
# per check, each rate limited on the primary: a name of its own, so that the router's per-model
# cooldown left by one check never spares the next its 429), the others distinct names (aliases, a pattern), so
# that those checks keep meeting the first two and a name nobody declares is answered 404 by the
# router itself.
limits='"timeout": 10, "max_retries": 0, "stream_idle_timeout": 10'
plain='"models": ["ok", "rate", "rate-all", "break", "resp-ok", "resp-break", "rate-resp", "rate-resp-stream", "rate-embed", "rate-cmpl", "rate-cmpl-stream", "rate-count", "json-anyway"]'
cat >"$tmp/config.json" <<EOF
{
  "server": {"host": "127.0.0.1", "port": 0, "request_timeout": 30, "shutdown_grace": 2},
  "logging": {"dir": "$tmp/logs"},
  "openai": [
    {"name": "openai-primary", "api_key": "$k_oa1", "base_url": "$up/v1", "priority": 1, $limits, $plain},
    {"name": "openai-second", "api_key": "$k_oa2", "base_url": "$up/second/v1", "priority": 2, $limits, $plain},
    {"name": "openai-alias", "api_key": "$k_oa3", "base_url": "$up/alias/v1", "priority": 3, $limits,
     "models": {"sdk-alias-model": "upstream-id-oa", "team/model-a": "upstream-team-a", "sdk-pfx-*": "vendor/*"}},
    {"name": "openai-keyless", "auth": "none", "base_url": "$up/keyless/v1", "priority": 4, $limits,
     "models": ["sdk-keyless-model"]},
    {"name": "openai-azure", "auth": "api-key", "api_key": "$k_oa4", "base_url": "$up/azure/v1", "priority": 5,
     $limits, "headers": {"X-Title": "sdk-check"}, "models": {"sdk-azure-model": "azure-deploy-1"}}
  ],
  "anthropic": [
    {"name": "anthropic-primary", "api_key": "$k_an1", "base_url": "$up", "priority": 1, $limits, $plain},
    {"name": "anthropic-second", "api_key": "$k_an2", "base_url": "$up/second", "priority": 2, $limits, $plain},
    {"name": "anthropic-alias", "auth": "bearer", "api_key": "$k_an3", "base_url": "$up/alias", "priority": 3,
     $limits, "models": {"claude-sdk-alias": "claude-upstream-id", "team/model-a": "claude-team-a"}}
  ]
}
EOF
# (c) the "open" router: per endpoint one provider with models, then one without
cat >"$tmp/open.json" <<EOF
{
  "server": {"host": "127.0.0.1", "port": 0, "request_timeout": 30, "shutdown_grace": 2},
  "logging": {"dir": "$tmp/open-logs"},
  "openai": [
    {"name": "openai-declared", "api_key": "$k_oa3", "base_url": "$up/alias/v1", "priority": 1, $limits,
     "models": {"sdk-alias-model": "upstream-id-oa"}},
    {"name": "openai-open", "api_key": "$k_oa1", "base_url": "$up/v1", "priority": 2, $limits}
  ],
  "anthropic": [
    {"name": "anthropic-declared", "auth": "bearer", "api_key": "$k_an3", "base_url": "$up/alias", "priority": 1,
     $limits, "models": {"claude-sdk-alias": "claude-upstream-id"}},
    {"name": "anthropic-open", "api_key": "$k_an1", "base_url": "$up", "priority": 2, $limits}
  ]
}
EOF

# (d) the agents' routers, no models declared (an agent sends the model name it likes); longer
# limits: an agent's request is big. "agents" (same family): per endpoint first a provider on the
# upstream's /limited prefix, which answers every request 429 (retry-after 1 s), then the one on
# /agent: every agent run meets a rate limit and goes on through the fallback. "cross": per
# endpoint ONE provider on /agent, of the other API.
agent_limits='"timeout": 30, "max_retries": 0, "stream_idle_timeout": 30'
cat >"$tmp/agents.json" <<EOF
{
  "server": {"host": "127.0.0.1", "port": 0, "request_timeout": 60, "shutdown_grace": 2},
  "logging": {"dir": "$tmp/agents-logs"},
  "openai": [
    {"name": "agent-openai-limited", "api_key": "$k_limited_oa", "base_url": "$up/limited/v1", "priority": 1, $agent_limits},
    {"name": "agent-openai", "api_key": "$k_agent_oa", "base_url": "$up/agent/v1", "priority": 2, $agent_limits}
  ],
  "anthropic": [
    {"name": "agent-anthropic-limited", "api_key": "$k_limited_an", "base_url": "$up/limited", "priority": 1,
     $agent_limits},
    {"name": "agent-anthropic", "api_key": "$k_agent_an", "base_url": "$up/agent", "priority": 2, $agent_limits}
  ]
}
EOF
cat >"$tmp/cross.json" <<EOF
{
  "server": {"host": "127.0.0.1", "port": 0, "request_timeout": 60, "shutdown_grace": 2},
  "logging": {"dir": "$tmp/cross-logs"},
  "openai": [
    {"name": "agent-anthropic-for-openai", "api": "anthropic", "api_key": "$k_agent_an", "base_url": "$up/agent",
     $agent_limits}
  ],
  "anthropic": [
    {"name": "agent-openai-for-anthropic", "api": "openai", "api_key": "$k_agent_oa", "base_url": "$up/agent/v1",
     $agent_limits}
  ]
}
EOF

# start_router NAME CONFIG LOG_DIR: starts serve in the background, output in $tmp/NAME.out and
# NAME.err; its pid in $started_pid (kept at once, so that cleanup stops it whatever happens next).
start_router() {
  local name="$1"
  "$java" -jar "$jar" serve --config "$2" --port 0 --log-dir "$3" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  started_pid=$!
}
# await_router NAME PID: waits for the listening line and /health, sets $started_url.
await_router() {
  local name="$1" pid="$2" port
  port="$(wait_for "$tmp/$name.out" '.* listening on http://127\.0\.0\.1:([0-9]+) .*' "$pid")" ||
    die "the $name router did not print its listening line within ${STARTUP_SECONDS}s"
  started_url="http://127.0.0.1:$port"
  until curl -fsS --max-time 2 "$started_url/health" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$started_url/health did not answer 200 within ${STARTUP_SECONDS}s"
    kill -0 "$pid" 2>/dev/null || die "the $name router exited"
    sleep 0.1
  done
}
start_router router "$tmp/config.json" "$tmp/logs"
router_pid=$started_pid
start_router open "$tmp/open.json" "$tmp/open-logs"
open_pid=$started_pid
start_router agents "$tmp/agents.json" "$tmp/agents-logs"
agents_pid=$started_pid
start_router cross "$tmp/cross.json" "$tmp/cross-logs"
cross_pid=$started_pid
await_router router "$router_pid"
router="$started_url"
say "router on $router"
await_router open "$open_pid"
open_router="$started_url"
say "open router on $open_router"
await_router agents "$agents_pid"
agents_router="$started_url"
say "agents router on $agents_router (same family)"
await_router cross "$cross_pid"
cross_router="$started_url"
say "cross router on $cross_router (translated)"

# ---------------------------------------------------------------------------- the checks
version_of() { node -p "require(process.argv[1]).version" "$here/node_modules/$1/package.json"; }
# dep_version_of PARENT DEP: the version of DEP that PARENT loads (its own copy, else the shared one)
dep_version_of() {
  if [ -f "$here/node_modules/$1/node_modules/$2/package.json" ]; then version_of "$1/node_modules/$2"; else version_of "$2"; fi
}
say "openai $(version_of openai), @anthropic-ai/sdk $(version_of @anthropic-ai/sdk), node $(node --version)"
say "ai $(version_of ai), @ai-sdk/openai $(version_of @ai-sdk/openai), @ai-sdk/anthropic $(version_of @ai-sdk/anthropic)"
say "@langchain/openai $(version_of @langchain/openai) (openai $(dep_version_of @langchain/openai openai))," \
  "@langchain/anthropic $(version_of @langchain/anthropic) (@anthropic-ai/sdk $(dep_version_of @langchain/anthropic @anthropic-ai/sdk))," \
  "@langchain/core $(version_of @langchain/core)"
say "agents: @anthropic-ai/claude-code $(version_of @anthropic-ai/claude-code), @qwen-code/qwen-code $(version_of @qwen-code/qwen-code)," \
  "@mariozechner/pi-coding-agent $(version_of @mariozechner/pi-coding-agent), opencode-ai $(version_of opencode-ai)," \
  "@openai/codex $(version_of @openai/codex)"
set +e
# LangChain traces to LangSmith when a developer's environment says so: not here (clients.mjs would
# refuse the request off 127.0.0.1 and fail).
# The agents' runs are bounded one by one (AGENT_TIMEOUT_SECONDS, 150 s), AGENT_PARALLEL (2) at a
# time, hence the larger bound of the whole.
mkdir -p "$tmp/agents"
ROUTER_URL="$router" SDK_CHECK_KEYS="$k_oa1,$k_oa2,$k_oa3,$k_oa4,$k_an1,$k_an2,$k_an3" ROUTER_LOG_DIR="$tmp/logs" \
  OPEN_ROUTER_URL="$open_router" OPEN_ROUTER_LOG_DIR="$tmp/open-logs" UPSTREAM_URL="$up" \
  AGENTS_ROUTER_URL="$agents_router" CROSS_ROUTER_URL="$cross_router" AGENTS_DIR="$tmp/agents" \
  AGENTS_ROUTER_LOG_DIR="$tmp/agents-logs" CROSS_ROUTER_LOG_DIR="$tmp/cross-logs" \
  AGENTS_ROUTER_ERR="$tmp/agents.err" CROSS_ROUTER_ERR="$tmp/cross.err" AGENT_PIDS_FILE="$tmp/agent-pids" \
  LANGSMITH_TRACING=false LANGSMITH_TRACING_V2=false LANGCHAIN_TRACING=false LANGCHAIN_TRACING_V2=false \
  timeout 600 node "$here/check.mjs"
status=$?
set -e
exit "$status"
