// A small fake provider for the SDK check: speaks the real OpenAI Chat Completions and Anthropic
// Messages wire formats (PROTOCOLS.md 1.2, 1.3, 2.2, 2.3) on 127.0.0.1 with plain node:http.
//
//   node upstream.mjs            listens on a free port and prints it as the first stdout line
//
// Providers by path prefix (PROVIDERS below): "" (primary: OpenAI base /v1, Anthropic base /),
// /second, /alias, /keyless, /azure and /agent (the agent scenario below), each serving
// <prefix>/v1/chat/completions, <prefix>/v1/messages and GET <prefix>/v1/models (the OpenAI list,
// or the Anthropic one when the request has anthropic-version). Answers name the provider they come
// from ("... from primary.", "... from second.", "... from alias." ...) and echo the model they were
// sent in their `model` field, as real providers do.
//
// Behaviour by the request's model name:
//   ok (or anything else)  a normal answer, JSON or event stream
//   rate                   primary: 429 with retry-after; second: a normal answer
//                          (429 messages quote the key the router presented, as some compatible
//                          providers do: a router that leaked upstream error text would show it)
//   rate-all               429 with retry-after on both
//   break                  a stream that sends two content events, then the socket is destroyed
//                          (no final event); non-stream: a normal answer
//
// Keys: UPSTREAM_KEYS (JSON {"openai","openai-second","openai-alias","openai-azure","anthropic",
// "anthropic-second","anthropic-alias","agent-openai","agent-anthropic"}) are the keys the router
// must present, each in the header its provider's auth says (Authorization: Bearer, x-api-key or
// api-key) and no credential in any other of those headers; a keyless provider must get none at
// all. Anything else gets a 401 in the API's error shape.
//
// The "agent" scenario (prefix /agent, keys "agent-openai" and "agent-anthropic"; agents.mjs drives
// coding agents through the router to it): a request whose user text carries the marker
// "[agent-task name=NAME file=PATH]" and that offers a file-reading tool (or, failing that, a shell
// tool) is answered with ONE call of that tool on PATH; the follow-up request, which carries the tool
// result, is answered "AGENT-DONE-NAME WORD" where WORD is the secret word the file holds ("The secret
// word is WORD."): only a tool that really ran can have brought it back. Any other request (an
// agent's side requests: titles, summaries) gets a short plain text. Both APIs, streaming or not.
//
// Model "cross-tool" on /agent (check.mjs's cross-router checks, see crossAnswer below): a request
// offering tools gets a short text and ONE call of its first tool, the follow-up carrying the tool
// result gets "The tool said: <result>.", any other a plain text in four parts; both APIs, streaming
// (with text and tool-argument deltas) or not.
//
// GET /__received: every request received so far (not this one), in order, as
// [{seq, method, path, query, headers, body}] (body: the parsed JSON, or null): what the check
// reads to see which model ID, credential header and extra headers a provider was sent.
import http from "node:http";

const KEYS = JSON.parse(process.env.UPSTREAM_KEYS ?? "{}");
let ids = 0;

function words(provider) {
  return ["Hello", " from", ` ${provider}`, "."];
}

function sendJson(res, status, body, headers = {}) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": bytes.length,
    ...headers,
  });
  res.end(bytes);
}

function openAiError(res, status, message, type, code, headers) {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

function anthropicError(res, status, type, message, headers) {
  sendJson(res, status, { type: "error", error: { type, message }, request_id: "req_upstream_err" }, headers);
}

function startStream(res, headers) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...headers,
  });
  res.flushHeaders();
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes the events 40 ms apart, so a client can tell a relay event by event from a buffered one. */
async function writeEvents(res, events) {
  for (const e of events) {
    if (res.destroyed) return;
    res.write(e + "\n\n");
    await pause(40);
  }
}

/** Leaves without a final event: the socket is destroyed mid-response (no terminating chunk). */
async function breakOff(res) {
  await pause(100);
  res.socket?.destroy();
}

// ------------------------------------------------------------------------------------- OpenAI

function openAiChunk(id, model, delta, finish = null) {
  return {
    id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  };
}

async function openAi(req, res, body, provider, key) {
  const model = typeof body.model === "string" ? body.model : "ok";
  const requestId = `req_up_${provider}_${++ids}`;
  const headers = { "x-request-id": requestId, "openai-processing-ms": "3" };
  if (model === "rate-all" || (model === "rate" && provider === "primary")) {
    openAiError(
      res,
      429,
      `Rate limit reached for requests on key ${key}. Please try again in 1s.`,
      "requests",
      "rate_limit_exceeded",
      { ...headers, "retry-after": "1", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1s" },
    );
    return;
  }
  const id = `chatcmpl-${provider}-${ids}`;
  const parts = words(provider);
  const usage = { prompt_tokens: 9, completion_tokens: parts.length, total_tokens: 9 + parts.length };
  if (body.stream !== true) {
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

// ---------------------------------------------------------------------------------- Anthropic

function event(name, payload) {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}`;
}

async function anthropic(req, res, body, provider, key) {
  const model = typeof body.model === "string" ? body.model : "ok";
  const requestId = `req_up_${provider}_${++ids}`;
  const headers = { "request-id": requestId };
  if (req.headers["anthropic-version"] === undefined) {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required", headers);
    return;
  }
  if (model === "rate-all" || (model === "rate" && provider === "primary")) {
    anthropicError(res, 429, "rate_limit_error", `Number of requests has exceeded your rate limit (key ${key}).`, {
      ...headers,
      "retry-after": "1",
    });
    return;
  }
  const id = `msg_${provider}_${ids}`;
  const parts = words(provider);
  if (body.stream !== true) {
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

// ------------------------------------------------------------------------------ agent scenario

const MARKER = /\[agent-task name=([A-Za-z0-9_.-]+) file=([^\]\s]+)\]/;
const SECRET = /The secret word is ([A-Za-z0-9-]+)\./;

/** The text of a content value of either API: a string, or an array of blocks (text, tool results). */
function textOf(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((b) => {
      if (typeof b === "string") return b;
      if (typeof b?.text === "string") return b.text;
      return b?.content !== undefined ? textOf(b.content) : ""; // a tool_result block
    })
    .join("\n");
}

/** The tools a request offers, in one shape: [{name, schema}]. */
function toolsOf(api, body) {
  if (!Array.isArray(body.tools)) return [];
  return body.tools
    .map((t) =>
      api === "openai" ? { name: t?.function?.name, schema: t?.function?.parameters } : { name: t?.name, schema: t?.input_schema },
    )
    .filter((t) => typeof t.name === "string");
}

/** The tool results a request carries, as text (OpenAI: role "tool" messages; Anthropic: tool_result blocks). */
function toolResultsOf(api, body) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (api === "openai") return messages.filter((m) => m?.role === "tool").map((m) => textOf(m.content));
  return messages
    .filter((m) => m?.role === "user" && Array.isArray(m.content))
    .flatMap((m) => m.content.filter((b) => b?.type === "tool_result").map((b) => textOf(b.content)));
}

/** The property of a tool's schema that takes the file (or command): required first, by name. */
function argumentName(schema, pattern, fallback) {
  const props = Object.keys(schema?.properties ?? {});
  const required = Array.isArray(schema?.required) ? schema.required : [];
  return required.find((p) => pattern.test(p)) ?? props.find((p) => pattern.test(p)) ?? fallback;
}

/** What the fake answers an agent's request: {text} or {tool, input}. */
function agentAnswer(api, body) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const userText = messages.filter((m) => m?.role === "user").map((m) => textOf(m.content)).join("\n");
  const task = MARKER.exec(userText);
  if (!task) return { text: "Side answer from the fake upstream." };
  const [, name, file] = task;
  const results = toolResultsOf(api, body);
  if (results.length > 0) {
    const all = results.join("\n");
    const word = SECRET.exec(all);
    if (word) return { text: `AGENT-DONE-${name} ${word[1]}` };
    return { text: `AGENT-TOOL-RESULT-WITHOUT-SECRET-${name}: ${JSON.stringify(all.slice(0, 300))}` };
  }
  const tools = toolsOf(api, body);
  if (tools.length === 0) return { text: `Side answer from the fake upstream (no tools offered for ${name}).` };
  const reader = tools.find((t) => /^(read|read_?file|view)$/i.test(t.name));
  if (reader) {
    return { tool: reader.name, input: { [argumentName(reader.schema, /path|file/i, "file_path")]: file } };
  }
  const shell = tools.find((t) => /^(bash|shell|run_shell_command|exec_command)$/i.test(t.name));
  if (shell) {
    return { tool: shell.name, input: { [argumentName(shell.schema, /command|cmd/i, "command")]: `cat ${file}` } };
  }
  return { text: `AGENT-NO-READ-TOOL-${name}: offered ${JSON.stringify(tools.map((t) => t.name))}` };
}

async function agent(req, res, body, api, provider) {
  const model = typeof body.model === "string" ? body.model : "agent";
  const requestId = `req_up_${provider}_${++ids}`;
  if (api === "anthropic" && req.headers["anthropic-version"] === undefined) {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required", { "request-id": requestId });
    return;
  }
  const answer = agentAnswer(api, body);
  const args = answer.tool ? JSON.stringify(answer.input) : null;
  if (api === "openai") {
    const id = `chatcmpl-agent-${ids}`;
    const headers = { "x-request-id": requestId };
    const call = { id: `call_agent_${ids}`, type: "function", function: { name: answer.tool, arguments: args } };
    const finish = answer.tool ? "tool_calls" : "stop";
    const usage = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 };
    if (body.stream !== true) {
      const message = answer.tool
        ? { role: "assistant", content: null, tool_calls: [call], refusal: null }
        : { role: "assistant", content: answer.text, refusal: null };
      sendJson(res, 200, {
        id, object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage, system_fingerprint: null,
      }, headers);
      return;
    }
    startStream(res, headers);
    const data = (o) => "data: " + JSON.stringify(o);
    const events = [];
    if (answer.tool) {
      const half = Math.floor(args.length / 2);
      const first = { index: 0, ...call, function: { name: answer.tool, arguments: "" } };
      events.push(data(openAiChunk(id, model, { role: "assistant", content: null, tool_calls: [first] })));
      events.push(data(openAiChunk(id, model, { tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] })));
      events.push(data(openAiChunk(id, model, { tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] })));
    } else {
      events.push(data(openAiChunk(id, model, { role: "assistant", content: "" })));
      events.push(data(openAiChunk(id, model, { content: answer.text })));
    }
    events.push(data(openAiChunk(id, model, {}, finish)));
    if (body.stream_options?.include_usage === true) events.push(data({ ...openAiChunk(id, model, {}), choices: [], usage }));
    events.push("data: [DONE]");
    await writeEvents(res, events);
    res.end();
    return;
  }
  const id = `msg_agent_${ids}`;
  const headers = { "request-id": requestId };
  const block = answer.tool
    ? { type: "tool_use", id: `toolu_agent_${ids}`, name: answer.tool, input: answer.input }
    : { type: "text", text: answer.text };
  const stop = answer.tool ? "tool_use" : "end_turn";
  if (body.stream !== true) {
    sendJson(res, 200, {
      id, type: "message", role: "assistant", model, content: [block],
      stop_reason: stop, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 5 },
    }, headers);
    return;
  }
  startStream(res, headers);
  const events = [
    event("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 20, output_tokens: 1 },
      },
    }),
  ];
  if (answer.tool) {
    events.push(event("content_block_start", { index: 0, content_block: { ...block, input: {} } }));
    events.push(event("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: args } }));
  } else {
    events.push(event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }));
    events.push(event("content_block_delta", { index: 0, delta: { type: "text_delta", text: answer.text } }));
  }
  events.push(event("content_block_stop", { index: 0 }));
  events.push(event("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } }));
  events.push(event("message_stop", {}));
  await writeEvents(res, events);
  res.end();
}

// --------------------------------------------------------------------------- cross-tool scenario

/** What model "cross-tool" (on /agent) calls its first offered tool with. */
const CROSS_INPUT = { city: "Paris", days: 2 };

/**
 * What the fake answers model "cross-tool": {parts, tool?, input?}. A request that offers tools and
 * carries no tool result: a short text, then ONE call of the first tool with CROSS_INPUT; one that
 * carries tool results: "The tool said: <results>."; any other: a plain text in four parts.
 */
function crossAnswer(api, body) {
  const results = toolResultsOf(api, body);
  if (results.length > 0) return { parts: ["The tool said", ": ", results.join(" | "), "."] };
  const tools = toolsOf(api, body);
  if (tools.length > 0) return { parts: ["Let me", " check."], tool: tools[0].name, input: CROSS_INPUT };
  return { parts: ["Cross", " text", " from", " the fake."] };
}

/** Model "cross-tool" on /agent, in either API's shape, JSON or event stream (check.mjs's cross checks). */
async function crossTool(req, res, body, api, provider) {
  const model = body.model;
  const requestId = `req_up_${provider}_${++ids}`;
  if (api === "anthropic" && req.headers["anthropic-version"] === undefined) {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required", { "request-id": requestId });
    return;
  }
  const answer = crossAnswer(api, body);
  const text = answer.parts.join("");
  const args = answer.tool ? JSON.stringify(answer.input) : null;
  const half = args ? Math.floor(args.length / 2) : 0;
  if (api === "openai") {
    const id = `chatcmpl-cross-${ids}`;
    const headers = { "x-request-id": requestId };
    const call = { id: `call_cross_${ids}`, type: "function", function: { name: answer.tool, arguments: args } };
    const finish = answer.tool ? "tool_calls" : "stop";
    const usage = { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 };
    if (body.stream !== true) {
      const message = { role: "assistant", content: text, refusal: null, ...(answer.tool ? { tool_calls: [call] } : {}) };
      sendJson(res, 200, {
        id, object: "chat.completion", created: Math.floor(Date.now() / 1000), model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage, system_fingerprint: null,
      }, headers);
      return;
    }
    startStream(res, headers);
    const data = (o) => "data: " + JSON.stringify(o);
    const events = [data(openAiChunk(id, model, { role: "assistant", content: "" }))];
    for (const p of answer.parts) events.push(data(openAiChunk(id, model, { content: p })));
    if (answer.tool) {
      const first = { index: 0, ...call, function: { name: answer.tool, arguments: "" } };
      events.push(data(openAiChunk(id, model, { tool_calls: [first] })));
      events.push(data(openAiChunk(id, model, { tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] })));
      events.push(data(openAiChunk(id, model, { tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] })));
    }
    events.push(data(openAiChunk(id, model, {}, finish)));
    if (body.stream_options?.include_usage === true) events.push(data({ ...openAiChunk(id, model, {}), choices: [], usage }));
    events.push("data: [DONE]");
    await writeEvents(res, events);
    res.end();
    return;
  }
  const id = `msg_cross_${ids}`;
  const headers = { "request-id": requestId };
  const use = answer.tool ? { type: "tool_use", id: `toolu_cross_${ids}`, name: answer.tool, input: answer.input } : null;
  const stop = answer.tool ? "tool_use" : "end_turn";
  if (body.stream !== true) {
    sendJson(res, 200, {
      id, type: "message", role: "assistant", model, content: [{ type: "text", text }, ...(use ? [use] : [])],
      stop_reason: stop, stop_sequence: null, usage: { input_tokens: 31, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }, headers);
    return;
  }
  startStream(res, headers);
  const events = [
    event("message_start", {
      message: {
        id, type: "message", role: "assistant", model, content: [],
        stop_reason: null, stop_sequence: null, usage: { input_tokens: 31, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    }),
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    event("ping", {}),
  ];
  for (const p of answer.parts) events.push(event("content_block_delta", { index: 0, delta: { type: "text_delta", text: p } }));
  events.push(event("content_block_stop", { index: 0 }));
  if (use) {
    events.push(event("content_block_start", { index: 1, content_block: { ...use, input: {} } }));
    events.push(event("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: args.slice(0, half) } }));
    events.push(event("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: args.slice(half) } }));
    events.push(event("content_block_stop", { index: 1 }));
  }
  events.push(event("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 7 } }));
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
  const headers = api === "openai" ? { "x-request-id": `req_up_${provider}_${++ids}` } : { "request-id": `req_up_${provider}_${++ids}` };
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
};

/** [prefix, api, kind] of a path: kind "chat" or "models"; null for any other path. */
function route(method, path, headers) {
  const m = /^(\/[a-z]+)?\/v1\/(chat\/completions|messages|models)$/.exec(path);
  if (!m || !Object.hasOwn(PROVIDERS, m[1] ?? "")) return null;
  const prefix = m[1] ?? "";
  if (m[2] === "models") {
    return method === "GET" ? [prefix, headers["anthropic-version"] === undefined ? "openai" : "anthropic", "models"] : null;
  }
  return method === "POST" ? [prefix, m[2] === "messages" ? "anthropic" : "openai", "chat"] : null;
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
    const provider = r && PROVIDERS[r[0]];
    if (!r || !provider[r[1]]) {
      openAiError(res, 404, `no such path on the fake upstream: ${req.method} ${path}`, "invalid_request_error", "not_found");
      return;
    }
    const [, api, kind] = r;
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
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      openAiError(res, 400, "the body is not a JSON object", "invalid_request_error", null);
      return;
    }
    const answered =
      provider.name === "agent"
        ? (body.model === "cross-tool" ? crossTool : agent)(req, res, body, api, provider.name)
        : (api === "openai" ? openAi : anthropic)(req, res, body, provider.name, presented);
    answered.catch((e) => {
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
