// Wire helpers shared by the fake upstream's parts (upstream.mjs, upstream-agent.mjs,
// upstream-responses.mjs, upstream-endpoints.mjs): JSON answers, each API's error and rate-limit
// bodies, event streams written event by event.

let ids = 0;
/** A number for the ids of the next answer (request, completion, message ids): one count for all parts. */
export const nextId = () => ++ids;

/** The text every plain answer is made of: "Hello from <provider>." in four parts. */
export function words(provider) {
  return ["Hello", " from", ` ${provider}`, "."];
}

export function sendJson(res, status, body, headers = {}) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": bytes.length,
    ...headers,
  });
  res.end(bytes);
}

/** OpenAI's error body (PROTOCOLS.md 1.4): {"error": {message, type, param, code}}. */
export function openAiError(res, status, message, type, code, headers, param = null) {
  sendJson(res, status, { error: { message, type, param, code } }, headers);
}

/** Anthropic's error body (PROTOCOLS.md 2.4): {"type": "error", "error": {type, message}, request_id}. */
export function anthropicError(res, status, type, message, headers) {
  sendJson(res, status, { type: "error", error: { type, message }, request_id: "req_upstream_err" }, headers);
}

/**
 * Whether a request is answered 429: model "rate-all" everywhere; on the primary, "rate" and every
 * name that starts "rate-" (each check of a new endpoint has its own such name, so that the
 * router's per-model cooldown left by one check never hides the 429 from the next).
 */
export function rateLimited(model, provider) {
  return model === "rate-all" || (provider === "primary" && /^rate(-|$)/.test(model));
}

/**
 * A 429 in the API's shape, with retry-after 1 s. Its message quotes the key the router presented,
 * as some compatible providers do: a router that leaked upstream error text would show it.
 */
export function rateLimit(res, api, key, headers) {
  if (api === "openai") {
    openAiError(res, 429, `Rate limit reached for requests on key ${key}. Please try again in 1s.`, "requests", "rate_limit_exceeded", {
      ...headers,
      "retry-after": "1",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "1s",
    });
    return;
  }
  anthropicError(res, 429, "rate_limit_error", `Number of requests has exceeded your rate limit (key ${key}).`, {
    ...headers,
    "retry-after": "1",
  });
}

export function startStream(res, headers) {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    ...headers,
  });
  res.flushHeaders();
}

export const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes the events 40 ms apart, so a client can tell a relay event by event from a buffered one. */
export async function writeEvents(res, events) {
  for (const e of events) {
    if (res.destroyed) return;
    res.write(e + "\n\n");
    await pause(40);
  }
}

/** Leaves without a final event: the socket is destroyed mid-response (no terminating chunk). */
export async function breakOff(res) {
  await pause(100);
  res.socket?.destroy();
}

/** A Chat Completions stream chunk (PROTOCOLS.md 1.3). */
export function openAiChunk(id, model, delta, finish = null) {
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

/** A named event (Anthropic Messages, PROTOCOLS.md 2.3): "event: NAME" and data repeating the type. */
export function event(name, payload) {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}`;
}
