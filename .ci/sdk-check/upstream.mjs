// A small fake provider for the SDK check: speaks the real OpenAI Chat Completions and Anthropic
// Messages wire formats (PROTOCOLS.md 1.2, 1.3, 2.2, 2.3) on 127.0.0.1 with plain node:http, and
// through its parts the OpenAI Responses API (upstream-responses.mjs, PROTOCOLS.md 6), embeddings,
// legacy completions and Anthropic count_tokens (upstream-endpoints.mjs, PROTOCOLS.md 7).
//
//   node upstream.mjs            listens on a free port and prints it as the first stdout line
//
// Providers by path prefix (PROVIDERS below): "" (primary: OpenAI base /v1, Anthropic base /),
// /second, /alias, /keyless, /azure, /agent (the agent scenario below) and /limited, each serving
// <prefix>/v1/chat/completions, /v1/responses (and /v1/responses/{id}, .../cancel,
// .../input_items), /v1/embeddings, /v1/completions, /v1/messages, /v1/messages/count_tokens and
// GET <prefix>/v1/models (the OpenAI list, or the Anthropic one when the request has
// anthropic-version): ROUTES below. Answers name the provider they come from ("... from primary.",
// "... from second.", "... from alias." ...) and echo the model they were sent in their `model`
// field, as real providers do.
//
// Behaviour by the request's model name (every endpoint but the model lists):
//   ok (or anything else)  a normal answer, JSON or event stream
//   rate, rate-...         primary: 429 with retry-after; second: a normal answer
//                          (429 messages quote the key the router presented, as some compatible
//                          providers do: a router that leaked upstream error text would show it)
//   rate-all               429 with retry-after on both
//   break                  a chat stream that sends two content events, then the socket is
//                          destroyed (no final event); non-stream: a normal answer
// The /limited provider answers every request but the model lists 429 (retry-after 1 s), whatever
// the model: the agents router's first provider, which each agent run meets and the router's
// fallback must carry it past.
//
// Keys: UPSTREAM_KEYS (JSON {"openai","openai-second","openai-alias","openai-azure","anthropic",
// "anthropic-second","anthropic-alias","agent-openai","agent-anthropic","limited-openai",
// "limited-anthropic"}) are the keys the router must present, each in the header its provider's
// auth says (Authorization: Bearer, x-api-key or api-key) and no credential in any other of those
// headers; a keyless provider must get none at all. Anything else gets a 401 in the API's error
// shape.
//
// The "agent" scenario (prefix /agent, keys "agent-openai" and "agent-anthropic"; agents.mjs drives
// coding agents through the router to it; upstream-agent.mjs): a request whose user text carries
// the marker "[agent-task name=NAME file=PATH]" and that offers a file-reading tool (or, failing
// that, a shell tool) is answered with ONE call of that tool on PATH; the follow-up request, which
// carries the tool result, is answered "AGENT-DONE-NAME WORD" where WORD is the secret word the file
// holds ("The secret word is WORD."): only a tool that really ran can have brought it back. Any
// other request (an agent's side requests: titles, summaries) gets a short plain text. Chat
// Completions, Messages and the Responses API, streaming or not.
//
// Model "cross-tool" on /agent (check.mjs's cross-router checks, see upstream-agent.mjs's
// crossAnswer): a request offering tools gets a short text and ONE call of its first tool, the
// follow-up carrying the tool result gets "The tool said: <result>.", any other a plain text in
// four parts; both APIs, streaming (with text and tool-argument deltas) or not.
//
// GET /__received: every request received so far (not this one), in order, as
// [{seq, method, path, query, headers, body}] (body: the parsed JSON, or null): what the check
// reads to see which model ID, credential header and extra headers a provider was sent.
import http from "node:http";
import { agent, crossTool } from "./upstream-agent.mjs";
import { countTokens, completions, embeddings } from "./upstream-endpoints.mjs";
import { responseById, responses } from "./upstream-responses.mjs";
import {
  anthropicError,
  breakOff,
  event,
  nextId,
  openAiChunk,
  openAiError,
  rateLimit,
  rateLimited,
  sendJson,
  startStream,
  words,
  writeEvents,
} from "./upstream-wire.mjs";

const KEYS = JSON.parse(process.env.UPSTREAM_KEYS ?? "{}");

// ------------------------------------------------------------------------------------- OpenAI

async function openAi(req, res, body, provider, key) {
  const model = typeof body.model === "string" ? body.model : "ok";
  const ids = nextId();
  const requestId = `req_up_${provider}_${ids}`;
  const headers = { "x-request-id": requestId, "openai-processing-ms": "3" };
  if (rateLimited(model, provider)) {
    rateLimit(res, "openai", key, headers);
    return;
  }
  const id = `chatcmpl-${provider}-${ids}`;
  const parts = words(provider);
  const usage = { prompt_tokens: 9, completion_tokens: parts.length, total_tokens: 9 + parts.length };
  // "json-anyway": an upstream that ignores "stream": true and answers one JSON body.
  if (body.stream !== true || model === "json-anyway") {
    sendJson(
      res,
      200,
      {
        id,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: parts.join(""), refusal: null },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage,
        system_fingerprint: null,
      },
      headers,
    );
    return;
  }
  startStream(res, headers);
  const data = (o) => "data: " + JSON.stringify(o);
  if (model === "break") {
    await writeEvents(res, [
      data(openAiChunk(id, model, { role: "assistant", content: parts[0] })),
      data(openAiChunk(id, model, { content: parts[1] })),
    ]);
    await breakOff(res);
    return;
  }
  const events = [data(openAiChunk(id, model, { role: "assistant", content: "" }))];
  for (const p of parts) events.push(data(openAiChunk(id, model, { content: p })));
  events.push(data(openAiChunk(id, model, {}, "stop")));
  if (body.stream_options?.include_usage === true) {
    events.push(data({ ...openAiChunk(id, model, {}), choices: [], usage }));
  }
  events.push("data: [DONE]");
  await writeEvents(res, events);
  res.end();
}


async function anthropic(req, res, body, provider, key) {
  const model = typeof body.model === "string" ? body.model : "ok";
  const ids = nextId();
  const requestId = `req_up_${provider}_${ids}`;
  const headers = { "request-id": requestId };
  if (req.headers["anthropic-version"] === undefined) {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required", headers);
    return;
  }
  if (rateLimited(model, provider)) {
    rateLimit(res, "anthropic", key, headers);
    return;
  }
  const id = `msg_${provider}_${ids}`;
  const parts = words(provider);
  if (body.stream !== true || model === "json-anyway") {
    sendJson(
      res,
      200,
      {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [{ type: "text", text: parts.join("") }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: parts.length },
      },
      headers,
    );
    return;
  }
  startStream(res, headers);
  const start = event("message_start", {
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 1 },
    },
  });
  const blockStart = event("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  const delta = (text) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text } });
  if (model === "break") {
    await writeEvents(res, [start, blockStart, delta(parts[0]), delta(parts[1])]);
    await breakOff(res);
    return;
  }
  const events = [start, blockStart, event("ping", {})];
  for (const p of parts) events.push(delta(p));
  events.push(event("content_block_stop", { index: 0 }));
  events.push(
    event("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: parts.length },
    }),
  );
  events.push(event("message_stop", {}));
  await writeEvents(res, events);
  res.end();
}

// ------------------------------------------------------------------------------- model lists

/** Each provider's own model list (GET <prefix>/v1/models): what a provider without models has. */
const OPENAI_MODELS = ["up-gpt-a", "sdk-alias-model", "up-gpt-b"];
const ANTHROPIC_MODELS = [
  ["claude-up-a", "Claude Up A"],
  ["claude-sdk-alias", "Claude SDK Alias (upstream)"],
  ["claude-up-b", "Claude Up B"],
];

function modelList(res, api, provider) {
  const requestId = `req_up_${provider}_${nextId()}`;
  const headers = api === "openai" ? { "x-request-id": requestId } : { "request-id": requestId };
  if (api === "openai") {
    const data = OPENAI_MODELS.map((id) => ({ id, object: "model", created: 1700000000, owned_by: `upstream-${provider}` }));
    sendJson(res, 200, { object: "list", data }, headers);
    return;
  }
  const data = ANTHROPIC_MODELS.map(([id, display_name]) => ({
    type: "model",
    id,
    display_name,
    created_at: "2025-01-02T03:04:05Z",
  }));
  sendJson(res, 200, { data, has_more: false, first_id: data[0].id, last_id: data.at(-1).id }, headers);
}

// ------------------------------------------------------------------------------------- server

/**
 * The providers by path prefix: per API, the key (a name in UPSTREAM_KEYS) and the header that
 * must carry it ("bearer", "x-api-key", "api-key" or "none").
 */
const PROVIDERS = {
  "": { name: "primary", openai: ["openai", "bearer"], anthropic: ["anthropic", "x-api-key"] },
  "/second": { name: "second", openai: ["openai-second", "bearer"], anthropic: ["anthropic-second", "x-api-key"] },
  "/alias": { name: "alias", openai: ["openai-alias", "bearer"], anthropic: ["anthropic-alias", "bearer"] },
  "/keyless": { name: "keyless", openai: [null, "none"], anthropic: [null, "none"] },
  "/azure": { name: "azure", openai: ["openai-azure", "api-key"] },
  "/agent": { name: "agent", openai: ["agent-openai", "bearer"], anthropic: ["agent-anthropic", "x-api-key"] },
  "/limited": { name: "limited", openai: ["limited-openai", "bearer"], anthropic: ["limited-anthropic", "x-api-key"] },
};

/**
 * The API paths, after a provider's prefix: [pattern, methods, api, kind]. api null: decided by the
 * anthropic-version header (both APIs list models at /v1/models). The routes of a stored response
 * capture its ID, then the action (cancel, input_items); without one the action is the method.
 */
const ROUTES = [
  [/^\/v1\/chat\/completions$/, ["POST"], "openai", "chat"],
  [/^\/v1\/messages$/, ["POST"], "anthropic", "chat"],
  [/^\/v1\/messages\/count_tokens$/, ["POST"], "anthropic", "count_tokens"],
  [/^\/v1\/responses$/, ["POST"], "openai", "responses"],
  [/^\/v1\/responses\/([^/]+)$/, ["GET", "DELETE"], "openai", "response"],
  [/^\/v1\/responses\/([^/]+)\/(cancel)$/, ["POST"], "openai", "response"],
  [/^\/v1\/responses\/([^/]+)\/(input_items)$/, ["GET"], "openai", "response"],
  [/^\/v1\/embeddings$/, ["POST"], "openai", "embeddings"],
  [/^\/v1\/completions$/, ["POST"], "openai", "completions"],
  [/^\/v1\/models$/, ["GET"], null, "models"],
];

/** {prefix, api, kind, id, action} of a request; null for any other path or method. */
function route(method, path, headers) {
  const p = /^(\/[a-z]+)?(\/v1\/.*)$/.exec(path);
  if (!p || !Object.hasOwn(PROVIDERS, p[1] ?? "")) return null;
  for (const [pattern, methods, api, kind] of ROUTES) {
    const m = pattern.exec(p[2]);
    if (!m || !methods.includes(method)) continue;
    const byHeader = headers["anthropic-version"] === undefined ? "openai" : "anthropic";
    return { prefix: p[1] ?? "", api: api ?? byHeader, kind, id: m[1], action: m[2] ?? method };
  }
  return null;
}

const CREDENTIAL_HEADERS = { bearer: "authorization", "x-api-key": "x-api-key", "api-key": "api-key" };

/** The key presented in the header `auth` names, or null when the request is not let in. */
function admitted(req, keyName, auth) {
  const present = Object.values(CREDENTIAL_HEADERS).filter((h) => req.headers[h] !== undefined);
  if (auth === "none") return present.length === 0 ? "" : null;
  const header = CREDENTIAL_HEADERS[auth];
  if (present.length !== 1 || present[0] !== header) return null; // exactly one, the right one
  const value = req.headers[header];
  const presented = auth === "bearer" ? (value.startsWith("Bearer ") ? value.slice(7) : null) : value;
  const expected = KEYS[keyName];
  return expected && presented === expected ? presented : null;
}

/** What GET /__received returns; bounded, the check sends a few hundred requests at most. */
const received = [];
let seq = 0;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url, "http://upstream");
    const path = url.pathname;
    if (path === "/__received" && req.method === "GET") {
      sendJson(res, 200, received);
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = null;
    }
    received.push({ seq: ++seq, method: req.method, path, query: url.search, headers: req.headers, body });
    if (received.length > 2000) received.shift();
    const r = route(req.method, path, req.headers);
    const provider = r && PROVIDERS[r.prefix];
    if (!r || !provider[r.api]) {
      openAiError(res, 404, `no such path on the fake upstream: ${req.method} ${path}`, "invalid_request_error", "not_found");
      return;
    }
    const { api, kind } = r;
    const [keyName, auth] = provider[api];
    const presented = admitted(req, keyName, auth);
    if (presented === null) {
      if (api === "openai") {
        openAiError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
      } else {
        anthropicError(res, 401, "authentication_error", "invalid x-api-key");
      }
      return;
    }
    if (kind === "models") {
      modelList(res, api, provider.name);
      return;
    }
    const requestId = `req_up_${provider.name}_${nextId()}`;
    const idHeader = api === "openai" ? { "x-request-id": requestId } : { "request-id": requestId };
    if (provider.name === "limited") {
      rateLimit(res, api, presented, idHeader); // the agents router's first provider: always rate limited
      return;
    }
    if (kind === "response") {
      responseById(res, r.action, r.id, provider.name, idHeader, url.searchParams);
      return;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      openAiError(res, 400, "the body is not a JSON object", "invalid_request_error", null);
      return;
    }
    let answered;
    if (kind === "chat") {
      answered =
        provider.name === "agent"
          ? (body.model === "cross-tool" ? crossTool : agent)(req, res, body, api, provider.name)
          : (api === "openai" ? openAi : anthropic)(req, res, body, provider.name, presented);
    } else {
      const handler = { responses, embeddings, completions, count_tokens: countTokens }[kind];
      answered = handler(req, res, body, provider.name, presented);
    }
    Promise.resolve(answered).catch((e) => {
      process.stderr.write(`upstream: ${e.stack}\n`);
      res.destroy();
    });
  });
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
