// Drives the router with the official SDKs, unchanged: only the base URL points at the router;
// then with the client libraries built on them (clients.mjs: Vercel AI SDK, LangChain JS); then the
// Responses API (responses.mjs) and embeddings, legacy completions and count_tokens (endpoints.mjs)
// with the SDKs; then tool calls through the translating "cross" router (cross.mjs: openai SDK,
// Anthropic SDK, AI SDK); last, real coding agents through two more routers (agents.mjs: Claude
// Code, Qwen Code, pi, opencode, OpenAI Codex CLI).
//
//   ROUTER_URL=http://127.0.0.1:<port> SDK_CHECK_KEYS=k1,k2,... ROUTER_LOG_DIR=<dir> \
//   OPEN_ROUTER_URL=... OPEN_ROUTER_LOG_DIR=<dir> UPSTREAM_URL=http://127.0.0.1:<port> \
//   AGENTS_ROUTER_URL=... CROSS_ROUTER_URL=... AGENTS_DIR=<dir> (and the optional
//   AGENTS_ROUTER_LOG_DIR, CROSS_ROUTER_LOG_DIR, AGENTS_ROUTER_ERR, CROSS_ROUTER_ERR, AGENT_PIDS_FILE:
//   see agents.mjs) node check.mjs
//
// The router's providers point at upstream.mjs (see there for the models: ok, rate, rate-all,
// break), each declaring the models it serves (run.sh); the "open" router's include one without
// models. UPSTREAM_URL/__received tells what the upstream was sent. Prints one line per check (ok,
// FAIL or SKIP) and a closing "N passed, M failed, K skipped" (the only summary line, for all three
// files); exits 1 on any failure (a skip is not one).
// SDK_CHECK_KEYS are the provider keys of the router's config: none may reach an error message.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { clientChecks, offHostRequests } from "./clients.mjs";
import { crossChecks } from "./cross.mjs";
import { responsesChecks } from "./responses.mjs";
import { endpointChecks } from "./endpoints.mjs";
import { agentChecks, Skipped } from "./agents.mjs";

const ROUTER = process.env.ROUTER_URL;
if (!ROUTER) {
  console.error("check.mjs: ROUTER_URL is not set");
  process.exit(2);
}
const KEYS = (process.env.SDK_CHECK_KEYS ?? "").split(",").filter((k) => k.length > 0);
const LOG_DIR = process.env.ROUTER_LOG_DIR;
const OPEN_ROUTER = process.env.OPEN_ROUTER_URL;
const OPEN_LOG_DIR = process.env.OPEN_ROUTER_LOG_DIR;
const UPSTREAM = process.env.UPSTREAM_URL;
if (!OPEN_ROUTER || !UPSTREAM) {
  console.error("check.mjs: OPEN_ROUTER_URL or UPSTREAM_URL is not set");
  process.exit(2);
}
const AGENTS_ROUTER = process.env.AGENTS_ROUTER_URL;
const CROSS_ROUTER = process.env.CROSS_ROUTER_URL;
const AGENTS_DIR = process.env.AGENTS_DIR;
if (!AGENTS_ROUTER || !CROSS_ROUTER || !AGENTS_DIR) {
  console.error("check.mjs: AGENTS_ROUTER_URL, CROSS_ROUTER_URL or AGENTS_DIR is not set");
  process.exit(2);
}
// The upstream spaces its events 40 ms apart and waits 100 ms before breaking a stream: a router
// that buffered instead of relaying event by event would deliver them all at (nearly) one instant.
const MIN_SPREAD_MS = 50;

// Requests sent to each router's API paths (/health and the upstream's /__received not counted), by
// origin: counted at the fetch every library here calls (through the guard of clients.mjs), so the
// router-log check compares the log with what was really sent, even after a check failed midway.
const sent = new Map();
const guardedFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (/^\/(openai|anthropic)(\/|$)/.test(url.pathname)) sent.set(url.origin, (sent.get(url.origin) ?? 0) + 1);
  return guardedFetch(input, init);
};
const sentTo = (router) => sent.get(new URL(router).origin) ?? 0;

const openai = new OpenAI({ baseURL: `${ROUTER}/openai`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
const anthropic = new Anthropic({ baseURL: `${ROUTER}/anthropic`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
const openaiV1 = new OpenAI({ baseURL: `${ROUTER}/openai/v1`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
const openOpenai = new OpenAI({ baseURL: `${OPEN_ROUTER}/openai/v1`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
const openAnthropic = new Anthropic({ baseURL: `${OPEN_ROUTER}/anthropic`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });

const PRIMARY = "Hello from primary.";
const SECOND = "Hello from second.";
const OA_PRIMARY = "openai-primary";
const OA_SECOND = "openai-second";
const AN_PRIMARY = "anthropic-primary";
const AN_SECOND = "anthropic-second";

const chat = (model, extra = {}) => ({
  model,
  messages: [{ role: "user", content: "Say hello" }],
  ...extra,
});
const msg = (model, extra = {}) => ({
  model,
  max_tokens: 64,
  messages: [{ role: "user", content: "Say hello" }],
  ...extra,
});

/** No configured key anywhere in what the client sees of an error. */
function assertNoKey(err) {
  const seen = [String(err?.message), JSON.stringify(err?.error ?? null), String(err?.stack)].join("\n");
  for (const key of KEYS) {
    assert.ok(!seen.includes(key), `a configured key appears in the error: ${seen}`);
  }
}

/** Text of the deltas of OpenAI chunks, in order. */
function openAiDeltas(chunks) {
  return chunks.flatMap((c) => (c.choices ?? []).map((ch) => ch.delta?.content ?? "")).filter((t) => t !== "");
}

/** What the upstream received (GET /__received): mark() before a request, since(mark) after it. */
async function upstreamLog() {
  return (await fetch(`${UPSTREAM}/__received`)).json();
}
async function mark() {
  return (await upstreamLog()).at(-1)?.seq ?? 0;
}
async function since(m) {
  return (await upstreamLog()).filter((r) => r.seq > m);
}
/** The one request the upstream received since m (one attempt, no fallback). */
async function onlyReceived(m) {
  const got = await since(m);
  assert.equal(got.length, 1, `the upstream received one request, got ${JSON.stringify(got.map((r) => `${r.method} ${r.path}`))}`);
  return got[0];
}
/** Which credential headers a received request carried (never their values). */
const credentialsOf = (headers) => ["authorization", "x-api-key", "api-key"].filter((h) => headers[h] !== undefined);

/** Rejects unless the promise rejects: its error. */
const rejection = (promise, expected) =>
  promise.then(
    () => assert.fail(`expected ${expected}`),
    (e) => e,
  );

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

// ------------------------------------------------------------------------------- plain answers

check("openai: chat.completions.create() returns the text", async () => {
  const { data, response } = await openai.chat.completions.create(chat("ok")).withResponse();
  assert.equal(data.object, "chat.completion");
  assert.equal(data.choices[0].message.content, PRIMARY);
  assert.equal(data.choices[0].finish_reason, "stop");
  assert.deepEqual(data.usage, { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  assert.match(data._request_id ?? "", /^req_up_primary_/);
  assert.equal(response.headers.get("x-router-provider"), OA_PRIMARY);
  assert.equal(response.headers.get("x-router-attempts"), "1");
  return `"${data.choices[0].message.content}" via ${response.headers.get("x-router-provider")}`;
});

check("anthropic: messages.create() returns the text", async () => {
  const { data, response } = await anthropic.messages.create(msg("ok")).withResponse();
  assert.equal(data.type, "message");
  assert.equal(data.content.length, 1);
  assert.equal(data.content[0].type, "text");
  assert.equal(data.content[0].text, PRIMARY);
  assert.equal(data.stop_reason, "end_turn");
  assert.equal(data.usage.output_tokens, 4);
  assert.match(data._request_id ?? "", /^req_up_primary_/);
  assert.equal(response.headers.get("x-router-provider"), AN_PRIMARY);
  return `"${data.content[0].text}" via ${response.headers.get("x-router-provider")}`;
});

// ----------------------------------------------------------------------------------- streaming

check("openai: stream:true + include_usage yields the deltas in order and the usage chunk", async () => {
  const { data: stream, response } = await openai.chat.completions
    .create(chat("ok", { stream: true, stream_options: { include_usage: true } }))
    .withResponse();
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.equal(response.headers.get("x-router-provider"), OA_PRIMARY);
  const chunks = [];
  const times = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    times.push(performance.now());
  }
  assert.ok(chunks.every((c) => c.object === "chat.completion.chunk"), "every item is a chunk");
  assert.deepEqual(openAiDeltas(chunks), ["Hello", " from", " primary", "."]);
  assert.equal(chunks[0].choices[0].delta.role, "assistant");
  assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === "stop"), "a chunk with finish_reason stop");
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, [], "the usage chunk comes last, with choices []");
  assert.deepEqual(last.usage, { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  const spread = times.at(-1) - times[0];
  assert.ok(spread >= MIN_SPREAD_MS, `chunks arrive one by one, not all at once (spread ${spread.toFixed(0)} ms)`);
  return `${chunks.length} chunks over ${spread.toFixed(0)} ms, deltas ${JSON.stringify(openAiDeltas(chunks))}, usage total ${last.usage.total_tokens}`;
});

check("anthropic: messages.stream() emits text events and finalMessage() matches them", async () => {
  const stream = anthropic.messages.stream(msg("ok"));
  const texts = [];
  const times = [];
  const types = [];
  stream.on("text", (delta) => {
    texts.push(delta);
    times.push(performance.now());
  });
  stream.on("streamEvent", (e) => types.push(e.type));
  const final = await stream.finalMessage();
  const { response } = await stream.withResponse();
  assert.deepEqual(texts, ["Hello", " from", " primary", "."]);
  assert.equal(final.content[0].text, texts.join(""));
  assert.equal(final.content[0].text, PRIMARY);
  assert.equal(final.stop_reason, "end_turn");
  assert.equal(final.usage.output_tokens, 4);
  assert.equal(types[0], "message_start");
  assert.equal(types.at(-1), "message_stop");
  assert.equal(response.headers.get("x-router-provider"), AN_PRIMARY);
  const spread = times.at(-1) - times[0];
  assert.ok(spread >= MIN_SPREAD_MS, `text events arrive one by one, not all at once (spread ${spread.toFixed(0)} ms)`);
  return `${texts.length} text events over ${spread.toFixed(0)} ms, finalMessage "${final.content[0].text}", ${types.length} events`;
});

check("openai: an upstream that answers a stream request with JSON still gives a stream with the text", async () => {
  const { data: stream, response } = await openai.chat.completions
    .create(chat("json-anyway", { stream: true, stream_options: { include_usage: true } }))
    .withResponse();
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.equal(openAiDeltas(chunks).join(""), PRIMARY, "the whole text, not an empty answer");
  assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === "stop"), "a chunk with finish_reason stop");
  assert.deepEqual(chunks.at(-1).choices, [], "the usage chunk comes last");
  const final = await openai.chat.completions.stream(chat("json-anyway")).finalChatCompletion();
  assert.equal(final.choices[0].message.content, PRIMARY);
  return `${chunks.length} chunks, finalChatCompletion "${final.choices[0].message.content}"`;
});

check("anthropic: an upstream that answers a stream request with JSON still gives finalMessage() the text", async () => {
  const stream = anthropic.messages.stream(msg("json-anyway"));
  const texts = [];
  stream.on("text", (delta) => texts.push(delta));
  const final = await stream.finalMessage();
  assert.equal(texts.join(""), PRIMARY);
  assert.equal(final.content[0].text, PRIMARY);
  assert.equal(final.stop_reason, "end_turn");
  return `finalMessage "${final.content[0].text}", ${texts.length} text event(s)`;
});

// ------------------------------------------------------------------------------------ fallback

check("openai: fallback on 429 (model rate) is answered by the second provider", async () => {
  const { data, response } = await openai.chat.completions.create(chat("rate")).withResponse();
  assert.equal(data.choices[0].message.content, SECOND);
  assert.equal(response.headers.get("x-router-provider"), OA_SECOND);
  assert.equal(response.headers.get("x-router-attempts"), "2");
  return `"${data.choices[0].message.content}" via ${OA_SECOND}, attempts ${response.headers.get("x-router-attempts")}`;
});

check("anthropic: fallback on 429 (model rate) is answered by the second provider", async () => {
  const response = await anthropic.messages.create(msg("rate")).asResponse();
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-router-provider"), AN_SECOND);
  assert.equal(response.headers.get("x-router-attempts"), "2");
  const data = await response.json();
  assert.equal(data.content[0].text, SECOND);
  return `"${data.content[0].text}" via ${AN_SECOND}, attempts ${response.headers.get("x-router-attempts")}`;
});

check("openai: streaming fallback on 429 before the first event streams from the second provider", async () => {
  const { data: stream, response } = await openai.chat.completions
    .create(chat("rate", { stream: true }))
    .withResponse();
  assert.equal(response.headers.get("x-router-provider"), OA_SECOND);
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.deepEqual(openAiDeltas(chunks), ["Hello", " from", " second", "."]);
  return `deltas ${JSON.stringify(openAiDeltas(chunks))} via ${OA_SECOND}`;
});

check("anthropic: streaming fallback on 429 before the first event streams from the second provider", async () => {
  const stream = anthropic.messages.stream(msg("rate"));
  const text = await stream.finalText();
  const { response } = await stream.withResponse();
  assert.equal(text, SECOND);
  assert.equal(response.headers.get("x-router-provider"), AN_SECOND);
  return `finalText "${text}" via ${AN_SECOND}`;
});

check("openai: every provider rate limited gives a RateLimitError without a key", async () => {
  const err = await openai.chat.completions.create(chat("rate-all")).then(
    () => assert.fail("expected a RateLimitError"),
    (e) => e,
  );
  assert.ok(err instanceof OpenAI.RateLimitError, `RateLimitError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.status, 429);
  assert.ok(Number(err.headers.get("retry-after")) >= 1, "retry-after");
  assertNoKey(err);
  return `${err.constructor.name} ${err.status}: ${err.message}`;
});

check("anthropic: every provider rate limited gives a RateLimitError without a key", async () => {
  const err = await anthropic.messages.create(msg("rate-all")).then(
    () => assert.fail("expected a RateLimitError"),
    (e) => e,
  );
  assert.ok(err instanceof Anthropic.RateLimitError, `RateLimitError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.status, 429);
  assert.equal(err.error?.error?.type, "rate_limit_error");
  assertNoKey(err);
  return `${err.constructor.name} ${err.status}: ${err.message}`;
});

// ---------------------------------------------------------------------------- mid-stream break

check("openai: a stream broken mid-way throws APIError after the first deltas", async () => {
  const stream = await openai.chat.completions.create(chat("break", { stream: true }));
  const chunks = [];
  let lastChunkAt = 0;
  let err;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      lastChunkAt = performance.now();
    }
  } catch (e) {
    err = e;
  }
  const gap = performance.now() - lastChunkAt;
  assert.deepEqual(openAiDeltas(chunks), ["Hello", " from"], "the deltas before the break arrive");
  assert.ok(err, "the iteration must throw, not end quietly");
  assert.ok(err instanceof OpenAI.APIError, `APIError expected, got ${err?.constructor?.name}: ${err}`);
  assert.ok(gap >= MIN_SPREAD_MS, `the deltas were yielded before the break, not with it (gap ${gap.toFixed(0)} ms)`);
  assertNoKey(err);
  return `${chunks.length} chunks, ${gap.toFixed(0)} ms later ${err.constructor.name}: ${err.message}`;
});

check("anthropic: a stream broken mid-way rejects the stream helper with APIError", async () => {
  const stream = anthropic.messages.stream(msg("break"));
  const texts = [];
  let lastTextAt = 0;
  stream.on("text", (delta) => {
    texts.push(delta);
    lastTextAt = performance.now();
  });
  stream.on("error", () => {}); // the rejection of finalMessage() is what is checked
  const err = await stream.finalMessage().then(
    () => assert.fail("finalMessage() must reject"),
    (e) => e,
  );
  const gap = performance.now() - lastTextAt;
  assert.deepEqual(texts, ["Hello", " from"], "the text before the break arrives");
  assert.ok(err instanceof Anthropic.APIError, `APIError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.error?.type, "error");
  assert.ok(gap >= MIN_SPREAD_MS, `the text was emitted before the break, not with it (gap ${gap.toFixed(0)} ms)`);
  assertNoKey(err);
  return `${texts.length} text events, ${gap.toFixed(0)} ms later ${err.constructor.name}: ${err.message}`;
});

// ------------------------------------------------------------------------ models, auth, headers
// The providers of run.sh's config: openai-alias (sdk-alias-model -> upstream-id-oa, team/model-a,
// sdk-pfx-* -> vendor/*), openai-keyless (auth none), openai-azure (auth api-key, X-Title header),
// anthropic-alias (auth bearer; claude-sdk-alias -> claude-upstream-id, team/model-a).

check("openai: an alias goes upstream as the provider's model ID, the rest of the body unchanged", async () => {
  const m = await mark();
  const body = chat("sdk-alias-model", {
    messages: [{ role: "user", content: 'Say {"model": "sdk-alias-model"}' }],
    metadata: { model: "sdk-alias-model" },
    temperature: 0.25,
  });
  const { data, response } = await openai.chat.completions.create(body).withResponse();
  const got = await onlyReceived(m);
  assert.equal(got.path, "/alias/v1/chat/completions");
  assert.deepEqual(got.body, { ...body, model: "upstream-id-oa" }, "only the top-level model changes");
  assert.deepEqual(credentialsOf(got.headers), ["authorization"]);
  assert.equal(got.headers["x-title"], undefined, "another provider's headers are not sent");
  assert.equal(data.model, "upstream-id-oa", "the upstream's answer names the ID it was sent");
  assert.equal(data.choices[0].message.content, "Hello from alias.");
  assert.equal(response.headers.get("x-router-provider"), "openai-alias");
  assert.equal(response.headers.get("x-router-model"), "upstream-id-oa");
  assert.equal(response.headers.get("x-router-attempts"), "1");
  return `sdk-alias-model sent as ${got.body.model} to ${got.path}, x-router-model ${response.headers.get("x-router-model")}`;
});

check("openai: a pattern name streams with the * replaced (sdk-pfx-mini -> vendor/mini)", async () => {
  const m = await mark();
  const { data: stream, response } = await openai.chat.completions.create(chat("sdk-pfx-mini", { stream: true })).withResponse();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const got = await onlyReceived(m);
  assert.equal(got.body.model, "vendor/mini");
  assert.equal(got.body.stream, true);
  assert.deepEqual(openAiDeltas(chunks), ["Hello", " from", " alias", "."]);
  assert.ok(chunks.every((c) => c.model === "vendor/mini"), "every chunk names vendor/mini");
  assert.equal(response.headers.get("x-router-provider"), "openai-alias");
  assert.equal(response.headers.get("x-router-model"), "vendor/mini");
  return `${chunks.length} chunks of model ${chunks[0].model}, x-router-model ${response.headers.get("x-router-model")}`;
});

check("anthropic: an alias goes upstream as the provider's model ID (auth bearer, no x-api-key)", async () => {
  const m = await mark();
  const body = msg("claude-sdk-alias", {
    messages: [{ role: "user", content: 'Say {"model": "claude-sdk-alias"}' }],
    metadata: { user_id: "sdk-check" },
  });
  const { data, response } = await anthropic.messages.create(body).withResponse();
  const got = await onlyReceived(m);
  assert.equal(got.path, "/alias/v1/messages");
  assert.deepEqual(got.body, { ...body, model: "claude-upstream-id" }, "only the top-level model changes");
  assert.deepEqual(credentialsOf(got.headers), ["authorization"]);
  assert.match(got.headers.authorization, /^Bearer sk-sdkcheck-anthropic3-/);
  assert.ok(got.headers["anthropic-version"], "anthropic-version is sent");
  assert.equal(data.model, "claude-upstream-id");
  assert.equal(data.content[0].text, "Hello from alias.");
  assert.equal(response.headers.get("x-router-provider"), "anthropic-alias");
  assert.equal(response.headers.get("x-router-model"), "claude-upstream-id");
  return `claude-sdk-alias sent as ${got.body.model}, x-router-model ${response.headers.get("x-router-model")}`;
});

check("anthropic: messages.stream() of an alias: finalMessage() names the provider's model ID", async () => {
  const m = await mark();
  const stream = anthropic.messages.stream(msg("claude-sdk-alias"));
  const final = await stream.finalMessage();
  const { response } = await stream.withResponse();
  const got = await onlyReceived(m);
  assert.equal(got.body.model, "claude-upstream-id");
  assert.equal(final.model, "claude-upstream-id");
  assert.equal(final.content[0].text, "Hello from alias.");
  assert.equal(response.headers.get("x-router-model"), "claude-upstream-id");
  return `finalMessage model ${final.model}, "${final.content[0].text}"`;
});

check("openai: a model no provider serves throws NotFoundError 404 model_not_found; nothing sent upstream", async () => {
  const m = await mark();
  const err = await rejection(openai.chat.completions.create(chat("sdk-nobody-serves")), "a NotFoundError");
  assert.ok(err instanceof OpenAI.NotFoundError, `NotFoundError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.status, 404);
  assert.equal(err.code, "model_not_found");
  assert.equal(err.type, "invalid_request_error");
  assert.equal(err.param, "model");
  assert.match(err.message, /sdk-nobody-serves/);
  assert.deepEqual(await since(m), [], "no provider was asked");
  assertNoKey(err);
  return `${err.constructor.name} ${err.status} ${err.code}: ${err.message}`;
});

check("anthropic: a model no provider serves throws NotFoundError 404 not_found_error; nothing sent upstream", async () => {
  const m = await mark();
  const err = await rejection(anthropic.messages.create(msg("sdk-nobody-serves")), "a NotFoundError");
  assert.ok(err instanceof Anthropic.NotFoundError, `NotFoundError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.status, 404);
  assert.equal(err.error?.type, "error");
  assert.equal(err.error?.error?.type, "not_found_error");
  assert.deepEqual(await since(m), [], "no provider was asked");
  assertNoKey(err);
  return `${err.constructor.name} ${err.status} ${err.error.error.type}: ${err.error.error.message}`;
});

// The first two providers' names (run.sh): those of this file's checks, then one per check of
// responses.mjs and endpoints.mjs.
const PLAIN_MODELS = ["ok", "rate", "rate-all", "break"];
const ENDPOINT_MODELS = ["resp-ok", "resp-break", "rate-resp", "rate-resp-stream", "rate-embed", "rate-cmpl", "rate-cmpl-stream", "rate-count", "json-anyway"];
const MAIN_OPENAI_MODELS = [...PLAIN_MODELS, ...ENDPOINT_MODELS, "sdk-alias-model", "team/model-a", "sdk-keyless-model", "sdk-azure-model"];
const MAIN_ANTHROPIC_MODELS = [...PLAIN_MODELS, ...ENDPOINT_MODELS, "claude-sdk-alias", "team/model-a"];

check("openai: models.list() (/openai and /openai/v1) and models.retrieve() show the declared names", async () => {
  const m = await mark();
  const ids = [];
  for await (const model of openai.models.list()) {
    assert.equal(model.object, "model");
    assert.equal(typeof model.created, "number");
    ids.push(model.id);
  }
  assert.deepEqual(ids, MAIN_OPENAI_MODELS, "the exact declared names, in priority order, no pattern");
  const v1 = [];
  for await (const model of openaiV1.models.list()) v1.push(model.id);
  assert.deepEqual(v1, ids, "/openai/v1/models lists the same");
  const alias = await openai.models.retrieve("sdk-alias-model");
  assert.equal(alias.id, "sdk-alias-model");
  assert.equal(alias.object, "model");
  const encoded = await openaiV1.models.retrieve("team/model-a").withResponse();
  assert.match(encoded.response.url, /\/models\/team%2Fmodel-a$/, "the SDK percent-encodes the slash");
  assert.equal(encoded.data.id, "team/model-a");
  const raw = await openaiV1.get("/models/team/model-a").withResponse();
  assert.match(raw.response.url, /\/models\/team\/model-a$/);
  assert.equal(raw.data.id, "team/model-a");
  const err = await rejection(openai.models.retrieve("sdk-nobody-serves"), "a NotFoundError");
  assert.ok(err instanceof OpenAI.NotFoundError, `NotFoundError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.code, "model_not_found");
  assert.deepEqual(await since(m), [], "declared names need no provider's list");
  return `${ids.length} ids ${JSON.stringify(ids)}; retrieve team/model-a as %2F and as /; unknown id 404`;
});

check("anthropic: models.list() and models.retrieve() show the declared names", async () => {
  const m = await mark();
  const page = await anthropic.models.list();
  assert.equal(page.has_more, false);
  assert.equal(page.first_id, MAIN_ANTHROPIC_MODELS[0]);
  assert.equal(page.last_id, MAIN_ANTHROPIC_MODELS.at(-1));
  const ids = [];
  for await (const model of page) {
    assert.equal(model.type, "model");
    assert.equal(typeof model.display_name, "string");
    assert.ok(!Number.isNaN(Date.parse(model.created_at)), `created_at ${model.created_at}`);
    ids.push(model.id);
  }
  assert.deepEqual(ids, MAIN_ANTHROPIC_MODELS, "the exact declared names, in priority order");
  const alias = await anthropic.models.retrieve("claude-sdk-alias");
  assert.equal(alias.type, "model");
  assert.equal(alias.id, "claude-sdk-alias");
  const encoded = await anthropic.models.retrieve("team/model-a").withResponse();
  assert.match(encoded.response.url, /\/models\/team%2Fmodel-a$/, "the SDK percent-encodes the slash");
  assert.equal(encoded.data.id, "team/model-a");
  const raw = await anthropic.get("/v1/models/team/model-a").withResponse();
  assert.match(raw.response.url, /\/models\/team\/model-a$/);
  assert.equal(raw.data.id, "team/model-a");
  const err = await rejection(anthropic.models.retrieve("sdk-nobody-serves"), "a NotFoundError");
  assert.ok(err instanceof Anthropic.NotFoundError, `NotFoundError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.error?.error?.type, "not_found_error");
  assert.deepEqual(await since(m), [], "declared names need no provider's list");
  return `${ids.length} ids ${JSON.stringify(ids)}, first_id ${page.first_id}, last_id ${page.last_id}; unknown id 404`;
});

check('openai: a provider with "auth": "none" is sent no credential header', async () => {
  const m = await mark();
  const { data, response } = await openai.chat.completions.create(chat("sdk-keyless-model")).withResponse();
  const got = await onlyReceived(m);
  assert.equal(got.path, "/keyless/v1/chat/completions");
  assert.deepEqual(credentialsOf(got.headers), [], "no Authorization, x-api-key or api-key");
  assert.equal(got.body.model, "sdk-keyless-model");
  assert.equal(data.choices[0].message.content, "Hello from keyless.");
  assert.equal(response.headers.get("x-router-provider"), "openai-keyless");
  assert.equal(response.headers.get("x-router-model"), "sdk-keyless-model");
  return `${got.path} received no credential header, "${data.choices[0].message.content}"`;
});

check('openai: "auth": "api-key" + "headers": the key in api-key only, X-Title added', async () => {
  const m = await mark();
  const { data, response } = await openai.chat.completions.create(chat("sdk-azure-model")).withResponse();
  const got = await onlyReceived(m);
  assert.equal(got.path, "/azure/v1/chat/completions");
  assert.deepEqual(credentialsOf(got.headers), ["api-key"], "api-key and no other credential header");
  assert.ok(KEYS.includes(got.headers["api-key"]), "api-key is the configured key");
  assert.equal(got.headers["x-title"], "sdk-check");
  assert.equal(got.body.model, "azure-deploy-1");
  assert.equal(data.choices[0].message.content, "Hello from azure.");
  assert.equal(response.headers.get("x-router-provider"), "openai-azure");
  assert.equal(response.headers.get("x-router-model"), "azure-deploy-1");
  return `${got.path} received api-key and x-title: ${got.headers["x-title"]}, model ${got.body.model}`;
});

// The "open" router: per endpoint a provider with models (the alias one), then one without (primary).
const OPEN_OPENAI_MODELS = ["sdk-alias-model", "up-gpt-a", "up-gpt-b"];
const OPEN_ANTHROPIC_MODELS = ["claude-sdk-alias", "claude-up-a", "claude-up-b"];

check("openai (open router): models.list() adds the list of the provider without models, each name once", async () => {
  const m = await mark();
  const ids = [];
  for await (const model of openOpenai.models.list()) ids.push(model.id);
  assert.deepEqual(ids, OPEN_OPENAI_MODELS);
  const got = await onlyReceived(m);
  assert.equal(`${got.method} ${got.path}`, "GET /v1/models", "the provider's own list was asked");
  assert.deepEqual(credentialsOf(got.headers), ["authorization"], "with its key");
  const listed = await openOpenai.models.retrieve("up-gpt-b");
  assert.equal(listed.id, "up-gpt-b");
  const err = await rejection(openOpenai.models.retrieve("sdk-nobody-serves"), "a NotFoundError");
  assert.ok(err instanceof OpenAI.NotFoundError, `NotFoundError expected, got ${err?.constructor?.name}: ${err}`);
  assert.equal(err.code, "model_not_found");
  assertNoKey(err);
  return `${JSON.stringify(ids)} (upstream list from ${got.path}); retrieve up-gpt-b; unknown id 404`;
});

check("anthropic (open router): models.list() adds the list of the provider without models, each name once", async () => {
  const m = await mark();
  const page = await openAnthropic.models.list();
  const ids = [];
  for await (const model of page) ids.push(model.id);
  assert.deepEqual(ids, OPEN_ANTHROPIC_MODELS);
  assert.equal(page.has_more, false);
  assert.equal(page.first_id, OPEN_ANTHROPIC_MODELS[0]);
  assert.equal(page.last_id, OPEN_ANTHROPIC_MODELS.at(-1));
  const got = await onlyReceived(m);
  assert.equal(`${got.method} ${got.path}${got.query}`, "GET /v1/models?limit=1000", "the provider's own list was asked");
  assert.deepEqual(credentialsOf(got.headers), ["x-api-key"], "with its key");
  const listed = await openAnthropic.models.retrieve("claude-up-a");
  assert.equal(listed.type, "model");
  assert.equal(listed.id, "claude-up-a");
  const err = await rejection(openAnthropic.models.retrieve("sdk-nobody-serves"), "a NotFoundError");
  assert.ok(err instanceof Anthropic.NotFoundError, `NotFoundError expected, got ${err?.constructor?.name}: ${err}`);
  assertNoKey(err);
  return `${JSON.stringify(ids)} (upstream list from ${got.path}${got.query}); retrieve claude-up-a; unknown id 404`;
});

check("openai (open router): a name nobody declares goes, unchanged, to the provider without models", async () => {
  const m = await mark();
  const { data, response } = await openOpenai.chat.completions.create(chat("up-gpt-a")).withResponse();
  const got = await onlyReceived(m);
  assert.equal(got.path, "/v1/chat/completions");
  assert.equal(got.body.model, "up-gpt-a");
  assert.equal(data.choices[0].message.content, PRIMARY);
  assert.equal(response.headers.get("x-router-provider"), "openai-open");
  assert.equal(response.headers.get("x-router-model"), "up-gpt-a");
  return `"${data.choices[0].message.content}" via ${response.headers.get("x-router-provider")}`;
});

check("anthropic (open router): a name nobody declares goes, unchanged, to the provider without models", async () => {
  const m = await mark();
  const { data, response } = await openAnthropic.messages.create(msg("claude-up-a")).withResponse();
  const got = await onlyReceived(m);
  assert.equal(got.path, "/v1/messages");
  assert.equal(got.body.model, "claude-up-a");
  assert.equal(data.content[0].text, PRIMARY);
  assert.equal(response.headers.get("x-router-provider"), "anthropic-open");
  return `"${data.content[0].text}" via ${response.headers.get("x-router-provider")}`;
});

// ------------------------------------------------------------------ the client libraries

for (const { name, fn } of clientChecks({ router: ROUTER, minSpreadMs: MIN_SPREAD_MS, assertNoKey })) {
  check(name, fn);
}

// ----------------------------------------- the Responses API, embeddings, completions, count_tokens

for (const { name, fn } of [
  ...responsesChecks({ router: ROUTER, upstream: UPSTREAM, minSpreadMs: MIN_SPREAD_MS, assertNoKey }),
  ...endpointChecks({ router: ROUTER, upstream: UPSTREAM, minSpreadMs: MIN_SPREAD_MS }),
]) {
  check(name, fn);
}

// ------------------------------------------------------------------------------------- the log

// Streams of the checks above, by model: each endpoint has one "ok" and one "break" stream from its
// SDK, one of each from the AI SDK and one of each from LangChain.
const STREAMS_PER_ENDPOINT = 3;

check("router log: one line per request, stream ends recorded, no key in any log file", async () => {
  assert.ok(LOG_DIR && OPEN_LOG_DIR, "ROUTER_LOG_DIR or OPEN_ROUTER_LOG_DIR is not set");
  const read = (dir) => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));
    const main = files.filter((f) => !f.endsWith("_errors.jsonl"));
    assert.equal(main.length, 1, `one request log in ${dir}: ${files}`);
    const text = Object.fromEntries(files.map((f) => [join(dir, f), readFileSync(join(dir, f), "utf8")]));
    const lines = text[join(dir, main[0])].split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
    return { text, lines };
  };
  const REQUESTS = sentTo(ROUTER);
  const OPEN_REQUESTS = sentTo(OPEN_ROUTER);
  assert.ok(REQUESTS > 0 && OPEN_REQUESTS > 0, `requests counted: ${REQUESTS} + ${OPEN_REQUESTS}`);
  // The log is written by a background thread: wait (bounded) for the last line.
  let log = read(LOG_DIR);
  let open = read(OPEN_LOG_DIR);
  for (let waited = 0; (log.lines.length < REQUESTS || open.lines.length < OPEN_REQUESTS) && waited < 5000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    log = read(LOG_DIR);
    open = read(OPEN_LOG_DIR);
  }
  assert.equal(log.lines.length, REQUESTS, "one line per request");
  assert.equal(open.lines.length, OPEN_REQUESTS, "one line per request (open router)");
  for (const [file, text] of Object.entries({ ...log.text, ...open.text })) {
    for (const key of KEYS) assert.ok(!text.includes(key), `a configured key appears in ${file}`);
  }
  const streams = log.lines.filter((l) => l.stream === true);
  const ends = (model) => streams.filter((l) => l.model === model).map((l) => `${l.endpoint}:${l.stream_result?.end}`);
  const each = (...values) => values.flatMap((v) => Array(STREAMS_PER_ENDPOINT).fill(v));
  assert.deepEqual(ends("break").sort(), each("anthropic:upstream_broken", "openai:upstream_broken"));
  assert.deepEqual(ends("ok").sort(), each("anthropic:completed", "openai:completed"));
  return `${log.lines.length} + ${open.lines.length} (open) lines; ${ends("break").length} break streams all logged as upstream_broken, ${ends("ok").length} ok streams as completed`;
});

check("no library sent a request anywhere but 127.0.0.1", async () => {
  const off = offHostRequests();
  assert.deepEqual(off, [], `refused requests off 127.0.0.1: ${off.join(", ")}`);
  return "fetch guard refused nothing";
});

// ------------------------------------------------------------ tool calls across the APIs

// The cross router (its own log, not counted above): the SDKs and the AI SDK with a tool, the fake
// answering in the provider's API (cross.mjs).
for (const { name, fn } of crossChecks({ crossRouter: CROSS_ROUTER, upstream: UPSTREAM })) {
  check(name, fn);
}

// ------------------------------------------------------------------------------------ agents

// Last: their routers are their own (not counted above), and they start processes of their own.
for (const { name, fn } of agentChecks({
  agentsRouter: AGENTS_ROUTER,
  crossRouter: CROSS_ROUTER,
  upstream: UPSTREAM,
  workDir: AGENTS_DIR,
  logDirs: { agents: process.env.AGENTS_ROUTER_LOG_DIR, cross: process.env.CROSS_ROUTER_LOG_DIR },
  errFiles: { agents: process.env.AGENTS_ROUTER_ERR, cross: process.env.CROSS_ROUTER_ERR },
  pidFile: process.env.AGENT_PIDS_FILE,
})) {
  check(name, fn);
}

// ------------------------------------------------------------------------------------------ run

let passed = 0;
let failed = 0;
let skipped = 0;
for (const { name, fn } of checks) {
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name}${detail ? ` -- ${detail}` : ""}`);
  } catch (e) {
    if (e instanceof Skipped) {
      skipped++;
      console.log(`SKIP ${name} -- ${e.message}`);
      continue;
    }
    failed++;
    console.log(`FAIL ${name}`);
    const text = e instanceof assert.AssertionError ? e.message : (e?.stack ?? String(e));
    for (const line of text.split("\n")) console.log(`     ${line}`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed === 0 ? 0 : 1;
