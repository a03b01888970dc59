// What each coding agent needs to run once, non-interactively, against a router (agents.mjs runs
// them): the files to write into its fresh HOME or run folder, its command line, and the variables
// that point it at the router and turn its telemetry, update checks and other traffic off
// (/work/shared/docs/AGENTS.md has the facts behind each).
//
// Each entry: label, pkg (its npm package, pinned in package.json), endpoint (the router endpoint
// it calls: "openai" or "anthropic"), wire (what it sends there: "chat", Chat Completions or
// Messages, unless "responses", the OpenAI Responses API), and prepare({base, prompt, home, runDir,
// work}) -> {cmd, args, env}, where base is the router's endpoint base URL (…/anthropic or
// …/openai/v1).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, "node_modules", ".bin");
/** The key every agent presents to the router (which has no gateway keys: any string does). */
const KEY = "sk-agent-check-not-a-real-key";

export const versionOf = (pkg) => JSON.parse(readFileSync(join(HERE, "node_modules", pkg, "package.json"), "utf8")).version;

export const AGENTS = {
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
  codex: {
    label: "OpenAI Codex CLI",
    pkg: "@openai/codex",
    endpoint: "openai",
    wire: "responses",
    prepare: ({ base, prompt, home, work }) => {
      // Its config (AGENTS.md): the router as a Responses provider whose key is in ROUTER_KEY; no
      // retries of its own (the router's fallback is what is tested); analytics, feedback and OTel
      // off; no update check; the apps and plugin features off, without which it reaches for the
      // network at start.
      const codexHome = join(home, ".codex");
      mkdirSync(codexHome, { recursive: true });
      const toml = (v) => JSON.stringify(v); // a TOML basic string is a JSON string
      writeFileSync(
        join(codexHome, "config.toml"),
        [
          `model = "agent-codex"`,
          `model_provider = "router"`,
          `approval_policy = "never"`,
          `sandbox_mode = "danger-full-access"`,
          `check_for_update_on_startup = false`,
          `[model_providers.router]`,
          `name = "router"`,
          `base_url = ${toml(base)}`,
          `env_key = "ROUTER_KEY"`,
          `wire_api = "responses"`,
          `request_max_retries = 0`,
          `stream_max_retries = 0`,
          `[analytics]`,
          `enabled = false`,
          `[feedback]`,
          `enabled = false`,
          `[otel]`,
          `exporter = "none"`,
          `[features]`,
          `apps = false`,
          `plugins = false`,
          `remote_plugin = false`,
          ``,
        ].join("\n"),
      );
      return {
        cmd: join(BIN, "codex"),
        args: ["exec", "--skip-git-repo-check", "--color", "never", "-C", work, prompt],
        env: { CODEX_HOME: codexHome, ROUTER_KEY: KEY },
      };
    },
  },
};
