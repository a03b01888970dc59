// Drives the router with the official SDKs, unchanged: only the base URL points at the router;
// then with the client libraries built on them (clients.mjs: Vercel AI SDK, LangChain JS).
//
//   ROUTER_URL=http://127.0.0.1:<port> SDK_CHECK_KEYS=k1,k2,... ROUTER_LOG_DIR=<dir> node check.mjs
//
// The router's providers point at upstream.mjs (see there for the models: ok, rate, rate-all,
// break). Prints one line per check and a closing "N passed, M failed" (the only summary line,
// for both files); exits 1 on any failure.
// SDK_CHECK_KEYS are the provider keys of the router's config: none may reach an error message.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { clientChecks, offHostRequests } from "./clients.mjs";

const ROUTER = process.env.ROUTER_URL;
if (!ROUTER) {
  console.error("check.mjs: ROUTER_URL is not set");
  process.exit(2);
}
const KEYS = (process.env.SDK_CHECK_KEYS ?? "").split(",").filter((k) => k.length > 0);
const LOG_DIR = process.env.ROUTER_LOG_DIR;
// The upstream spaces its events 40 ms apart and waits 100 ms before breaking a stream: a router
// that buffered instead of relaying event by event would deliver them all at (nearly) one instant.
const MIN_SPREAD_MS = 50;

const openai = new OpenAI({ baseURL: `${ROUTER}/openai`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
const anthropic = new Anthropic({ baseURL: `${ROUTER}/anthropic`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });

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

// ------------------------------------------------------------------ the client libraries

for (const { name, fn } of clientChecks({ router: ROUTER, minSpreadMs: MIN_SPREAD_MS, assertNoKey })) {
  check(name, fn);
}

// ------------------------------------------------------------------------------------- the log

const REQUESTS = checks.length; // every check above sends exactly one request to the router
// Streams of the checks above, by model: each endpoint has one "ok" and one "break" stream from its
// SDK, one of each from the AI SDK and one of each from LangChain.
const STREAMS_PER_ENDPOINT = 3;

check("router log: one line per request, stream ends recorded, no key in any log file", async () => {
  assert.ok(LOG_DIR, "ROUTER_LOG_DIR is not set");
  const read = () => {
    const files = readdirSync(LOG_DIR).filter((f) => f.endsWith(".jsonl"));
    const main = files.filter((f) => !f.endsWith("_errors.jsonl"));
    assert.equal(main.length, 1, `one request log in ${LOG_DIR}: ${files}`);
    const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(LOG_DIR, f), "utf8")]));
    const lines = text[main[0]].split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
    return { text, lines };
  };
  // The log is written by a background thread: wait (bounded) for the last line.
  let log = read();
  for (let waited = 0; log.lines.length < REQUESTS && waited < 5000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    log = read();
  }
  assert.equal(log.lines.length, REQUESTS, "one line per request");
  for (const [file, text] of Object.entries(log.text)) {
    for (const key of KEYS) assert.ok(!text.includes(key), `a configured key appears in ${file}`);
  }
  const streams = log.lines.filter((l) => l.stream === true);
  const ends = (model) => streams.filter((l) => l.model === model).map((l) => `${l.endpoint}:${l.stream_result?.end}`);
  const each = (...values) => values.flatMap((v) => Array(STREAMS_PER_ENDPOINT).fill(v));
  assert.deepEqual(ends("break").sort(), each("anthropic:upstream_broken", "openai:upstream_broken"));
  assert.deepEqual(ends("ok").sort(), each("anthropic:completed", "openai:completed"));
  return `${log.lines.length} lines; ${ends("break").length} break streams all logged as upstream_broken, ${ends("ok").length} ok streams as completed`;
});

check("no library sent a request anywhere but 127.0.0.1", async () => {
  const off = offHostRequests();
  assert.deepEqual(off, [], `refused requests off 127.0.0.1: ${off.join(", ")}`);
  return "fetch guard refused nothing";
});

// ------------------------------------------------------------------------------------------ run

let passed = 0;
let failed = 0;
for (const { name, fn } of checks) {
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name}${detail ? ` -- ${detail}` : ""}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}`);
    const text = e instanceof assert.AssertionError ? e.message : (e?.stack ?? String(e));
    for (const line of text.split("\n")) console.log(`     ${line}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
