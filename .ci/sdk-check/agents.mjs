// Real coding agents as clients: each runs once, non-interactively, through a router to the fake
// upstream's "agent" scenario (upstream.mjs): the first answer is ONE call of the agent's own
// file-reading tool on a note in its work folder, the follow-up (carrying the tool result) is
// answered "AGENT-DONE-<tag> <secret word from the note>". A run passes when the agent exits 0 in
// time, prints that line, and every request of the run reached the upstream in the provider's API.
//
// Two routers beside check.mjs's own (run.sh starts them; each endpoint has ONE provider, on the
// upstream's /agent prefix, without declared models):
//   AGENTS_ROUTER_URL  same family: /openai -> an OpenAI provider, /anthropic -> an Anthropic one
//   CROSS_ROUTER_URL   translated:  /openai -> "api": "anthropic", /anthropic -> "api": "openai"
// The same agent runs against both, so that a failure of the translated run alone is the
// translation's, not the harness's.
//
// Every run: a fresh HOME (and the agent's config folder) under AGENTS_DIR, an environment built
// from scratch (PATH, HOME, the agent's own variables and settings that turn telemetry, update
// checks and other traffic off; checked with strace: each connects to 127.0.0.1 only), proxies
// pointed at a closed port with NO_PROXY for 127.0.0.1 (what a proxy-aware agent might still send
// elsewhere fails at once), its own process group killed on timeout or when it ends. Runs go
// AGENT_PARALLEL (2) at a time, each bounded by AGENT_TIMEOUT_SECONDS (150), started when the first
// agent check runs (after the SDK checks, whose timing they would disturb).
// Each run's output is kept in AGENTS_DIR/<tag>/ (run.sh keeps $tmp when a check failed).
//
// OpenAI Codex CLI is pinned too but speaks only the Responses API, which the router does not serve
// yet: its check is a SKIP (its binary's --version is still run, so a broken install shows).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, "node_modules", ".bin");
const RUN_TIMEOUT_MS = Number(process.env.AGENT_TIMEOUT_SECONDS ?? 150) * 1000;
const PARALLEL = Math.max(1, Number(process.env.AGENT_PARALLEL ?? 2));
const KEY = "sk-agent-check-not-a-real-key";
// A port nothing listens on: the proxies of every run (see above).
const DEAD_PROXY = "http://127.0.0.1:9";

/** A check that did not run, and why: check.mjs prints it as SKIP and counts it apart. */
export class Skipped extends Error {}

const versionOf = (pkg) => JSON.parse(readFileSync(join(HERE, "node_modules", pkg, "package.json"), "utf8")).version;

// ------------------------------------------------------------------------------------- agents
// Each: what to write into the run's folders, and the command line and variables that run it.
// `base` is the router's endpoint base URL (…/anthropic or …/openai/v1).

const AGENTS = {
  claude: {
    label: "Claude Code",
    pkg: "@anthropic-ai/claude-code",
    endpoint: "anthropic",
    prepare: ({ base, prompt }) => ({
      cmd: join(BIN, "claude"),
      args: ["-p", prompt, "--allowedTools", "Read"],
      env: {
        ANTHROPIC_BASE_URL: base,
        ANTHROPIC_API_KEY: KEY,
        DISABLE_TELEMETRY: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_ERROR_REPORTING: "1",
        DISABLE_BUG_COMMAND: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: "1",
      },
    }),
  },
  qwen: {
    label: "Qwen Code",
    pkg: "@qwen-code/qwen-code",
    endpoint: "openai",
    prepare: ({ base, prompt, home }) => {
      // Settings paths from its settings schema: no update check, no usage statistics, no telemetry.
      mkdirSync(join(home, ".qwen"), { recursive: true });
      writeFileSync(
        join(home, ".qwen", "settings.json"),
        JSON.stringify({
          general: { enableAutoUpdate: false },
          privacy: { usageStatisticsEnabled: false },
          telemetry: { enabled: false },
        }),
      );
      return {
        cmd: join(BIN, "qwen"),
        args: ["-p", prompt, "--auth-type", "openai", "--approval-mode", "default", "--allowed-tools", "read_file"],
        env: { OPENAI_BASE_URL: base, OPENAI_API_KEY: KEY, OPENAI_MODEL: "agent-qwen" },
      };
    },
  },
  pi: {
    label: "pi",
    pkg: "@mariozechner/pi-coding-agent",
    endpoint: "openai",
    prepare: ({ base, prompt, home }) => {
      const dir = join(home, "pi-agent");
      mkdirSync(dir, { recursive: true });
      const model = {
        id: "agent-pi",
        name: "agent-pi",
        reasoning: false,
        input: ["text"],
        contextWindow: 128000,
        maxTokens: 4096,
      };
      writeFileSync(
        join(dir, "models.json"),
        JSON.stringify({ providers: { router: { baseUrl: base, api: "openai-completions", apiKey: KEY, models: [model] } } }),
      );
      // No install telemetry; no retries of its own (a failure shows at once, not after backoff).
      writeFileSync(join(dir, "settings.json"), JSON.stringify({ enableInstallTelemetry: false, retry: { enabled: false } }));
      return {
        cmd: join(BIN, "pi"),
        args: ["--offline", "--no-session", "--provider", "router", "--model", "agent-pi", "--tools", "read", "-p", prompt],
        env: { PI_CODING_AGENT_DIR: dir, PI_OFFLINE: "1", PI_SKIP_VERSION_CHECK: "1", PI_TELEMETRY: "0" },
      };
    },
  },
  opencode: {
    label: "opencode",
    pkg: "opencode-ai",
    endpoint: "openai",
    prepare: ({ base, prompt, home, runDir }) => {
      const config = join(runDir, "opencode.json");
      writeFileSync(
        config,
        JSON.stringify({
          $schema: "https://opencode.ai/config.json",
          autoupdate: false,
          share: "disabled",
          model: "router/agent-opencode",
          provider: {
            router: {
              npm: "@ai-sdk/openai-compatible",
              name: "router",
              options: { baseURL: base, apiKey: KEY },
              models: { "agent-opencode": { name: "agent-opencode" } },
            },
          },
        }),
      );
      // At start opencode installs @opencode-ai/plugin into its global config folder from the npm
      // registry (Npm.install: skipped when node_modules exists and package-lock.json already lists
      // every dependency of package.json). Seeded so, it fetches nothing.
      const global = join(home, ".config", "opencode");
      mkdirSync(join(global, "node_modules"), { recursive: true });
      const version = versionOf("opencode-ai");
      writeFileSync(join(global, "package.json"), JSON.stringify({ dependencies: { "@opencode-ai/plugin": version } }));
      writeFileSync(
        join(global, "package-lock.json"),
        JSON.stringify({ lockfileVersion: 3, packages: { "": { dependencies: { "@opencode-ai/plugin": version } } } }),
      );
      return {
        cmd: join(BIN, "opencode"),
        args: ["run", "--pure", prompt],
        env: {
          OPENCODE_CONFIG: config,
          OPENCODE_DISABLE_AUTOUPDATE: "1",
          OPENCODE_DISABLE_MODELS_FETCH: "1",
          OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
          OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
          OPENCODE_DISABLE_SHARE: "1",
          OPENCODE_DISABLE_CLAUDE_CODE: "1",
          OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
          OPENCODE_DISABLE_PROJECT_CONFIG: "1",
        },
      };
    },
  },
};

// The runs: every agent through the same-family router and through the translating one.
const UPSTREAM_PATH = { openai: "/agent/v1/chat/completions", anthropic: "/agent/v1/messages" };
const OTHER = { openai: "anthropic", anthropic: "openai" };
const PROVIDER_LABEL = { openai: "OpenAI", anthropic: "Anthropic" };
const RUNS = ["claude", "qwen", "pi", "opencode"].flatMap((agent) =>
  ["same", "cross"].map((kind) => {
    const endpoint = AGENTS[agent].endpoint;
    const speaks = kind === "same" ? endpoint : OTHER[endpoint];
    return { agent, kind, tag: `${agent}-${kind}`, endpoint, speaks, upstreamPath: UPSTREAM_PATH[speaks] };
  }),
);

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
  const prompt = `Read the note with your file-reading tool and report what it says. [agent-task name=${run.tag} file=${note}]`;
  const router = run.kind === "same" ? ctx.agentsRouter : ctx.crossRouter;
  const base = run.endpoint === "openai" ? `${router}/openai/v1` : `${router}/anthropic`;
  const { cmd, args, env } = AGENTS[run.agent].prepare({ base, prompt, home, runDir });
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

/** The upstream's requests that belong to a run (their user text carries its tag). */
async function upstreamRequestsOf(ctx, tag) {
  const all = await (await fetch(`${ctx.upstream}/__received`)).json();
  const marker = `name=${tag} `;
  return all.filter((r) => r.path.startsWith("/agent/") && JSON.stringify(r.body ?? "").includes(marker));
}

/** The router's log lines of a run (JSONL of the router it used; the request body carries its tag). */
function routerLinesOf(logDir, tag) {
  if (!logDir || !existsSync(logDir)) return [];
  const marker = `name=${tag} `;
  return readdirSync(logDir)
    .filter((f) => f.endsWith(".jsonl") && !f.endsWith("_errors.jsonl"))
    .flatMap((f) => readFileSync(join(logDir, f), "utf8").split("\n"))
    .filter((l) => l.includes(marker))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .filter((o) => o !== null);
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
  const expected = `AGENT-DONE-${run.tag} ${result.secret}`;
  const ups = await upstreamRequestsOf(ctx, run.tag);
  const done = !result.timedOut && result.code === 0 && result.stdout.includes(expected);
  if (!done) {
    const kind = run.kind === "same" ? "agents" : "cross";
    const lines = routerLinesOf(ctx.logDirs[kind], run.tag);
    const printed = result.stdout.includes(expected) ? "printed" : "not printed";
    const logged = lines.map((l) => `${l.status} provider=${l.provider ?? "-"}${l.error ? ` error=${JSON.stringify(l.error)}` : ""}`);
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
    assert.fail(`${label} did not finish the tool round trip:\n${why.join("\n")}`);
  }
  const paths = [...new Set(ups.map((r) => r.path))];
  assert.deepEqual(paths, [run.upstreamPath], `the upstream was reached at ${paths}, not only ${run.upstreamPath}`);
  const streams = [...new Set(ups.map((r) => (r.body?.stream === true ? "stream" : "non-stream")))].join("+");
  return `${label}, ${secs}s, ${ups.length} upstream requests (${run.upstreamPath}, ${streams}), secret word read back`;
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
    const chain =
      run.kind === "same"
        ? `${run.endpoint} endpoint -> ${PROVIDER_LABEL[run.speaks]} provider (same family)`
        : `${run.endpoint} endpoint -> only provider "api": "${run.speaks}" (translated)`;
    return {
      name: `agent: ${agent.label} through the ${chain}: a tool round trip, final answer printed, exit 0`,
      fn: async () => verify(run, await start()[i], ctx),
    };
  });
  checks.push({
    name: "agent: OpenAI Codex CLI (Responses API only)",
    fn: async () => {
      const home = join(ctx.workDir, "codex-home");
      mkdirSync(home, { recursive: true });
      const version = await new Promise((resolve) => {
        const child = spawn(join(BIN, "codex"), ["--version"], {
          env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, TMPDIR: home },
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        });
        const out = [];
        child.stdout.on("data", (c) => out.push(c));
        const timer = setTimeout(() => process.kill(-child.pid, "SIGKILL"), 30_000);
        child.on("error", () => resolve(null));
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve(code === 0 ? Buffer.concat(out).toString("utf8").trim() : null);
        });
      });
      assert.ok(version, `the pinned @openai/codex ${versionOf("@openai/codex")} did not answer --version`);
      const probe = await fetch(`${ctx.agentsRouter}/openai/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "agent-codex", input: "hello" }),
      });
      await probe.arrayBuffer();
      const served = probe.status === 404 ? "" : ` (the router now answers ${probe.status} there: time to run it)`;
      throw new Skipped(
        `${version} is installed but speaks only the Responses API (POST /openai/v1/responses), ` +
          `which the router does not serve yet${served}`,
      );
    },
  });
  return checks;
}
