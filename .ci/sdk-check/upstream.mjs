// A small fake provider for the SDK check: speaks the real OpenAI Chat Completions and Anthropic
// Messages wire formats (PROTOCOLS.md 1.2, 1.3, 2.2, 2.3) on 127.0.0.1 with plain node:http.
//
//   node upstream.mjs            listens on a free port and prints it as the first stdout line
//
// Paths: /v1/chat/completions and /v1/messages (the "primary" provider), and the same under
// /second (the "second" provider: OpenAI base /second/v1, Anthropic base /second). Answers name
// the provider they come from ("... from primary." / "... from second.").
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
// Keys: UPSTREAM_KEYS (JSON {"openai","openai-second","anthropic","anthropic-second"}) are the keys
// the router must present (Authorization: Bearer for OpenAI, x-api-key for Anthropic); any other
// key gets a 401 in the API's error shape.
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

// ------------------------------------------------------------------------------------- server

const ROUTES = {
  "/v1/chat/completions": ["openai", "primary"],
  "/second/v1/chat/completions": ["openai", "second"],
  "/v1/messages": ["anthropic", "primary"],
  "/second/v1/messages": ["anthropic", "second"],
};

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const path = new URL(req.url, "http://upstream").pathname;
    const route = ROUTES[path];
    if (!route || req.method !== "POST") {
      openAiError(res, 404, `no such path on the fake upstream: ${req.method} ${path}`, "invalid_request_error", "not_found");
      return;
    }
    const [api, provider] = route;
    const keyName = provider === "primary" ? api : `${api}-second`;
    const expected = KEYS[keyName];
    const presented =
      api === "openai"
        ? (req.headers.authorization ?? "").replace(/^Bearer /, "")
        : (req.headers["x-api-key"] ?? "");
    if (!expected || presented !== expected || (api === "anthropic" && req.headers.authorization)) {
      if (api === "openai") {
        openAiError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
      } else {
        anthropicError(res, 401, "authentication_error", "invalid x-api-key");
      }
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = null;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      openAiError(res, 400, "the body is not a JSON object", "invalid_request_error", null);
      return;
    }
    const handler = api === "openai" ? openAi : anthropic;
    handler(req, res, body, provider, presented).catch((e) => {
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
