// Real coding agents as clients: each runs once, non-interactively, through a router to the fake
// upstream's "agent" scenario (upstream-agent.mjs): the first answer is ONE call of the agent's own
// file-reading (or shell) tool on a note in its work folder, the follow-up (carrying the tool
// result) is answered "AGENT-DONE-<tag> <secret word from the note>". A run passes when the agent
// exits 0 in time, prints that line, and every request of the run reached the upstream in the
// provider's API. What each agent needs to run is in agent-setups.mjs.
//
// Two routers beside check.mjs's own (run.sh starts them; no models declared):
//   AGENTS_ROUTER_URL  same family: per endpoint TWO providers, first one on the upstream's
//                      /limited prefix that answers every request 429 (retry-after 1 s), then one
//                      on /agent: /openai -> OpenAI providers, /anthropic -> Anthropic ones. A run
//                      there passes only if the router met that 429 and fell back (its upstream
//                      requests and the router's log say so).
//   CROSS_ROUTER_URL   translated: per endpoint ONE provider on /agent, /openai -> "api":
//                      "anthropic", /anthropic -> "api": "openai"
// The same agent runs against both, so that a failure of the translated run alone is the
// translation's, not the harness's. OpenAI Codex CLI speaks only the Responses API, which the
// router relays but does not translate: it runs against the same-family router only.
//
// Every run: a fresh HOME (and the agent's config folder) under AGENTS_DIR, an environment built
// from scratch (PATH, HOME, the agent's own variables and settings that turn telemetry, update
// checks and other traffic off; checked with strace: each connects to 127.0.0.1 only), proxies
// pointed at a closed port with NO_PROXY for 127.0.0.1 (what a proxy-aware agent might still send
// elsewhere fails at once), its own process group killed on timeout or when it ends. Runs go
// AGENT_PARALLEL (2) at a time, each bounded by AGENT_TIMEOUT_SECONDS (150), started when the first
// agent check runs (after the SDK checks, whose timing they would disturb).
// Each run's output is kept in AGENTS_DIR/<tag>/ (run.sh keeps $tmp when a check failed).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AGENTS, versionOf } from "./agent-setups.mjs";

const RUN_TIMEOUT_MS = Number(process.env.AGENT_TIMEOUT_SECONDS ?? 150) * 1000;
const PARALLEL = Math.max(1, Number(process.env.AGENT_PARALLEL ?? 2));
// A port nothing listens on: the proxies of every run (see above).
const DEAD_PROXY = "http://127.0.0.1:9";

/** A check that did not run, and why: check.mjs prints it as SKIP and counts it apart. */
export class Skipped extends Error {}

// The runs: every agent through the same-family router and through the translating one; an agent
// of the Responses API (Codex) through the same-family one only: the router translates Chat
// Completions and Messages into each other, not the Responses API.
const UPSTREAM_PATH = {
  chat: { openai: "/agent/v1/chat/completions", anthropic: "/agent/v1/messages" },
  responses: { openai: "/agent/v1/responses" },
};
const OTHER = { openai: "anthropic", anthropic: "openai" };
const PROVIDER_LABEL = { openai: "OpenAI", anthropic: "Anthropic" };
const RUNS = ["claude", "qwen", "pi", "opencode", "codex"].flatMap((agent) => {
  const { endpoint, wire = "chat" } = AGENTS[agent];
  return (wire === "chat" ? ["same", "cross"] : ["same"]).map((kind) => {
    const speaks = kind === "same" ? endpoint : OTHER[endpoint];
    return { agent, kind, tag: `${agent}-${kind}`, endpoint, speaks, wire, upstreamPath: UPSTREAM_PATH[wire][speaks] };
  });
});
// One more: Claude Code's /context, which counts tokens (about 25 POST count_tokens?beta=true,
// part by part) and prints the table. Its requests carry no task marker: the run's own model name
// (ANTHROPIC_MODEL) tells them apart.
const CONTEXT_MODEL = "agent-claude-context";
RUNS.push({
  agent: "claude",
  kind: "same",
  tag: "claude-context",
  endpoint: "anthropic",
  speaks: "anthropic",
  wire: "chat",
  context: true,
  upstreamPath: "/agent/v1/messages/count_tokens",
});
// The same-family router's first provider per endpoint (run.sh) is on the upstream's /limited
// prefix, which answers every request 429 with retry-after 1 s: each run there meets it (at its
// first request of each model, and again once the router's cooldown is over) and is carried on by
// the router's fallback to the /agent provider. The provider names in that router's config:
const LIMITED_PROVIDER = { openai: "agent-openai-limited", anthropic: "agent-anthropic-limited" };
const AGENT_PROVIDER = { openai: "agent-openai", anthropic: "agent-anthropic" };
// Besides its main path, a run may count tokens (Claude Code: POST /v1/messages/count_tokens).
const sidePaths = (path) => (path.endsWith("/messages") ? [`${path}/count_tokens`] : []);

// ---------------------------------------------------------------------------------- one run

/** Runs one agent to its end (or its timeout): {code, signal, timedOut, ms, stdout, stderr, secret}. */
function runAgent(run, ctx) {
  const runDir = join(ctx.workDir, run.tag);
  const home = join(runDir, "home");
  const work = join(runDir, "work");
  mkdirSync(home, { recursive: true });
  mkdirSync(work, { recursive: true });
  const secret = `word-${randomBytes(4).toString("hex")}`;
  const note = join(work, "note.txt");
  writeFileSync(note, `The secret word is ${secret}.\n`);
  const prompt = run.context
    ? "/context"
    : `Read the note with your file-reading tool and report what it says. [agent-task name=${run.tag} file=${note}]`;
  const router = run.kind === "same" ? ctx.agentsRouter : ctx.crossRouter;
  const base = run.endpoint === "openai" ? `${router}/openai/v1` : `${router}/anthropic`;
  const prepared = AGENTS[run.agent].prepare({ base, prompt, home, runDir, work });
  const { cmd, args } = prepared;
  const env = run.context ? { ...prepared.env, ANTHROPIC_MODEL: CONTEXT_MODEL } : prepared.env;
  const fullEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: runDir,
    LANG: "C.UTF-8",
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    CI: "1",
    NO_COLOR: "1",
    TERM: "dumb",
    HTTP_PROXY: DEAD_PROXY,
    HTTPS_PROXY: DEAD_PROXY,
    http_proxy: DEAD_PROXY,
    https_proxy: DEAD_PROXY,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    ...env,
  };
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: work, env: fullEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    if (ctx.pidFile && child.pid) appendFileSync(ctx.pidFile, `${child.pid}\n`);
    const out = [];
    const err = [];
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    const killGroup = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is gone
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGKILL");
    }, RUN_TIMEOUT_MS);
    const finish = (code, signal) => {
      clearTimeout(timer);
      killGroup("SIGKILL"); // whatever the agent left running in its group
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      writeFileSync(join(runDir, "stdout.txt"), stdout);
      writeFileSync(join(runDir, "stderr.txt"), stderr);
      resolve({ code, signal, timedOut, ms: Date.now() - started, stdout, stderr, secret });
    };
    child.on("error", (e) => {
      err.push(Buffer.from(`spawn failed: ${e.message}\n`));
      finish(null, null);
    });
    child.on("close", finish);
  });
}

// --------------------------------------------------------------------------------- evidence

/** The upstream's requests that belong to a run (their user text carries its tag; /context: its model). */
async function upstreamRequestsOf(ctx, run) {
  const all = await (await fetch(`${ctx.upstream}/__received`)).json();
  const marker = `name=${run.tag} `;
  const ours = (r) => (run.context ? r.body?.model === CONTEXT_MODEL : JSON.stringify(r.body ?? "").includes(marker));
  return all.filter((r) => /^\/(agent|limited)\//.test(r.path) && ours(r));
}

/** The router's log lines of a run (JSONL of the router it used; the request body carries its tag; /context: its model). */
function routerLinesOf(logDir, run) {
  if (!logDir || !existsSync(logDir)) return [];
  const marker = `name=${run.tag} `;
  return readdirSync(logDir)
    .filter((f) => f.endsWith(".jsonl") && !f.endsWith("_errors.jsonl"))
    .flatMap((f) => readFileSync(join(logDir, f), "utf8").split("\n"))
    .filter((l) => l.includes(run.context ? `"${CONTEXT_MODEL}"` : marker))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .filter((o) => o !== null && (!run.context || o.model === CONTEXT_MODEL));
}

/** Distinct SEVERE/WARNING lines of a router's stderr: what it said of a failure it could not answer. */
function routerComplaints(errFile) {
  if (!errFile || !existsSync(errFile)) return [];
  const lines = readFileSync(errFile, "utf8").split("\n").filter((l) => / SEVERE | WARNING /.test(l));
  return [...new Set(lines.map((l) => l.replace(/^\S+ \S+ /, "")))].slice(0, 3);
}

/** Repeated entries once, with a count: "500 ... (x7)". */
const summarize = (items) => {
  if (items.length === 0) return "none";
  const counts = new Map();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([i, n]) => (n > 1 ? `${i} (x${n})` : i)).join("; ");
};

/** The last n non-blank lines, without terminal colours. */
const tail = (text, n) =>
  text
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-n);

async function verify(run, result, ctx) {
  const label = `${AGENTS[run.agent].label} ${versionOf(AGENTS[run.agent].pkg)}`;
  const secs = (result.ms / 1000).toFixed(1);
  const expected = run.context ? "Context Usage" : `AGENT-DONE-${run.tag} ${result.secret}`;
  const ups = await upstreamRequestsOf(ctx, run);
  const done = !result.timedOut && result.code === 0 && result.stdout.includes(expected);
  if (!done) {
    const kind = run.kind === "same" ? "agents" : "cross";
    const lines = routerLinesOf(ctx.logDirs[kind], run);
    const printed = result.stdout.includes(expected) ? "printed" : "not printed";
    const tried = (l) => (Array.isArray(l.attempts) ? l.attempts : []).map((a) => `${a.provider}:${a.status ?? a.class}/${a.action}`);
    const logged = lines.map(
      (l) => `${l.status} ${l.path} provider=${l.provider ?? "-"} attempts=[${tried(l)}]${l.error ? ` error=${JSON.stringify(l.error)}` : ""}`,
    );
    const why = [
      result.timedOut
        ? `timed out after ${RUN_TIMEOUT_MS / 1000}s (process group killed)`
        : `exit ${result.code ?? result.signal}, ${secs}s; "${expected}" ${printed}`,
      `router (${kind}): ${lines.length} request(s): ${summarize(logged)}`,
      ...routerComplaints(ctx.errFiles[kind]).map((l) => `router (${kind}) stderr: ${l}`),
      `upstream: ${ups.length} request(s)${ups.length ? `: ${[...new Set(ups.map((r) => r.path))].join(", ")}` : ""}`,
      ...tail(result.stdout, 4).map((l) => `stdout: ${l.slice(0, 200)}`),
      ...tail(result.stderr, 4).map((l) => `stderr: ${l.slice(0, 200)}`),
    ];
    assert.fail(`${label} did not finish ${run.context ? "/context" : "the tool round trip"}:\n${why.join("\n")}`);
  }
  if (run.context) return verifyContext(run, ups, ctx, `${label}, ${secs}s`);
  const limitedPath = run.upstreamPath.replace(/^\/agent\//, "/limited/");
  const allowed = [run.upstreamPath, ...(run.kind === "same" ? [limitedPath] : [])].flatMap((p) => [p, ...sidePaths(p)]);
  const paths = [...new Set(ups.map((r) => r.path))];
  const elsewhere = paths.filter((p) => !allowed.includes(p));
  assert.deepEqual(elsewhere, [], `the upstream was reached at ${paths}, not only at ${allowed}`);
  const main = ups.filter((r) => r.path === run.upstreamPath);
  const streams = [...new Set(main.map((r) => (r.body?.stream === true ? "stream" : "non-stream")))].join("+");
  const counted = ups.filter((r) => r.path.endsWith("/count_tokens")).length;
  const extras = counted > 0 ? `, ${counted} count_tokens` : "";
  if (run.kind === "cross") {
    return `${label}, ${secs}s, ${main.length} upstream requests (${run.upstreamPath}, ${streams})${extras}, secret word read back`;
  }
  const limited = ups.filter((r) => r.path === limitedPath).length;
  assert.ok(limited > 0, `no request of the run reached the rate-limited first provider (${limitedPath})`);
  const fellBack = await fallbacksLogged(ctx.logDirs.agents, run);
  assert.ok(fellBack > 0, `the router's log has no request of the run answered by ${AGENT_PROVIDER[run.endpoint]} after a 429 of ${LIMITED_PROVIDER[run.endpoint]}`);
  return (
    `${label}, ${secs}s, ${main.length} upstream requests (${run.upstreamPath}, ${streams})${extras}; ` +
    `${limited} answered 429 by the first provider, ${fellBack} logged as fallback to the second; secret word read back`
  );
}

/**
 * Claude Code's /context through the same-family router: it printed its table (checked by the
 * caller), its count_tokens?beta=true requests reached the /agent provider, the first ones after a
 * 429 of the rate-limited one, and the router logged every one of them answered 200.
 */
async function verifyContext(run, ups, ctx, done) {
  const limitedPath = run.upstreamPath.replace(/^\/agent\//, "/limited/");
  const paths = [...new Set(ups.map((r) => `${r.path}${r.query}`))].sort();
  assert.deepEqual(paths, [`${run.upstreamPath}?beta=true`, `${limitedPath}?beta=true`].sort(), "count_tokens?beta=true, both providers");
  const answered = ups.filter((r) => r.path === run.upstreamPath).length;
  const limited = ups.filter((r) => r.path === limitedPath).length;
  const fellBack = await fallbacksLogged(ctx.logDirs.agents, run);
  assert.ok(fellBack > 0, `the router's log has no count_tokens answered by ${AGENT_PROVIDER.anthropic} after a 429 of ${LIMITED_PROVIDER.anthropic}`);
  const lines = routerLinesOf(ctx.logDirs.agents, run);
  const failed = lines.filter((l) => l.status !== 200 || !l.path.startsWith("/anthropic/v1/messages/count_tokens"));
  assert.deepEqual(failed.map((l) => `${l.status} ${l.path}`), [], "every count_tokens of the run answered 200");
  return `${done}, "Context Usage" printed; ${answered} count_tokens?beta=true answered by the /agent provider, ${limited} answered 429 by the first provider, ${fellBack} logged as fallback`;
}

/**
 * The router's log lines of a run that met the rate-limited provider's 429 and were answered by the
 * next one: attempts [{provider: limited, status 429, class rate_limited, action fallback}, ...,
 * {provider: agent, action success}]. The log is written in the background: polled, at most 3 s.
 */
async function fallbacksLogged(logDir, run) {
  const count = () =>
    routerLinesOf(logDir, run).filter((l) => {
      const attempts = Array.isArray(l.attempts) ? l.attempts : [];
      const limited = attempts.find((a) => a.provider === LIMITED_PROVIDER[run.endpoint]);
      return (
        limited?.status === 429 &&
        limited.class === "rate_limited" &&
        limited.action === "fallback" &&
        l.provider === AGENT_PROVIDER[run.endpoint] &&
        l.status === 200
      );
    }).length;
  const deadline = Date.now() + 3000;
  let n = count();
  while (n === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    n = count();
  }
  return n;
}

// ------------------------------------------------------------------------------------ checks

/**
 * The agent checks, for check.mjs to append after its own: ctx = {agentsRouter, crossRouter,
 * upstream, workDir, logDirs: {agents, cross}, errFiles: {agents, cross}, pidFile}.
 */
export function agentChecks(ctx) {
  let results = null;
  // Started on the first agent check, AGENT_PARALLEL at a time; each check awaits its own run.
  const start = () => {
    if (results) return results;
    let next = 0;
    const settle = RUNS.map(() => {
      let resolve;
      const p = new Promise((r) => (resolve = r));
      return { p, resolve };
    });
    const worker = async () => {
      while (next < RUNS.length) {
        const i = next++;
        settle[i].resolve(await runAgent(RUNS[i], ctx));
      }
    };
    for (let w = 0; w < Math.min(PARALLEL, RUNS.length); w++) worker();
    results = settle.map((s) => s.p);
    return results;
  };
  const checks = RUNS.map((run, i) => {
    const agent = AGENTS[run.agent];
    const wire = run.wire === "responses" ? "Responses API, " : "";
    const chain =
      run.kind === "same"
        ? `${run.endpoint} endpoint (${wire}first provider rate limited) -> ${PROVIDER_LABEL[run.speaks]} provider (same family)`
        : `${run.endpoint} endpoint -> only provider "api": "${run.speaks}" (translated)`;
    return {
      name: run.context
        ? `agent: ${agent.label} /context through the ${chain}: count_tokens?beta=true answered, table printed, exit 0`
        : `agent: ${agent.label} through the ${chain}: a tool round trip, final answer printed, exit 0`,
      fn: async () => verify(run, await start()[i], ctx),
    };
  });
  return checks;
}
