// The OpenAI Responses API through the router (issue 15, point 5): the official openai SDK's
// responses.create() and responses.stream() with a function tool, the follow-up that carries the
// tool's output by previous_response_id, the routes of a stored response, and the raw event
// stream, against check.mjs's router. The fake (upstream-responses.mjs) answers a request offering
// tools "Let me check." and ONE function_call of the first tool with INPUT, one carrying a
// function_call_output "The tool said: <output>.", any other "Hello from <provider>."; a model
// "rate..." is a 429 on the primary (its body quotes the key), and each provider knows only the
// response IDs it created (404 for any other, as OpenAI answers). Model "resp-ok" is answered by
// the primary: the router log check of check.mjs counts the streams of model "ok", not these;
// "resp-break" streams break after their first text delta.
import assert from "node:assert/strict";
import OpenAI from "openai";

const TOOLS = [
  {
    type: "function",
    name: "get_weather",
    description: "The weather of a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer" } },
      required: ["city", "days"],
      additionalProperties: false,
    },
    strict: true,
  },
];
const PROMPT = "What is the weather in Paris for the next 2 days? Use the tool.";
const INPUT = { city: "Paris", days: 2 };
const PREFACE = "Let me check.";
const RESULT = "sunny, 22 C";
const FINAL = `The tool said: ${RESULT}.`;
const USAGE = {
  input_tokens: 37,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 11,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 48,
};
const OA_PRIMARY = "openai-primary";
const OA_SECOND = "openai-second";

/** The one function_call item of a response, its arguments parsed. */
function callOf(response) {
  const calls = response.output.filter((i) => i.type === "function_call");
  assert.equal(calls.length, 1, `one function_call item: ${JSON.stringify(response.output)}`);
  const call = calls[0];
  assert.equal(call.name, "get_weather");
  assert.match(call.call_id ?? "", /^call_/);
  assert.match(call.id ?? "", /^fc_/);
  assert.equal(call.status, "completed");
  assert.deepEqual(JSON.parse(call.arguments), INPUT);
  return call;
}

/** The frames of an event stream as [{name (its event: line), data (its data, parsed)}]. */
function parseEvents(raw) {
  return raw
    .split(/\r?\n\r?\n/)
    .filter((f) => f.trim() !== "")
    .map((f) => {
      const lines = f.split(/\r?\n/);
      const name = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
      const data = JSON.parse(lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n"));
      return { name, data };
    });
}

/** The follow-up's input: the tool's output for that call. */
const outputFor = (call) => [{ type: "function_call_output", call_id: call.call_id, output: RESULT }];

/**
 * The checks, as [{name, fn}]: ctx = {router, upstream, minSpreadMs, assertNoKey} (check.mjs's;
 * its router's providers openai-primary and openai-second are on the upstream's "" and /second).
 */
export function responsesChecks({ router, upstream, minSpreadMs, assertNoKey }) {
  // The router's answers, in order: a stream helper (responses.stream()) has no withResponse(), so
  // its headers are read here. The fetch is looked up at each call: check.mjs's count sees it.
  const answers = [];
  const recording = async (url, init) => {
    const response = await globalThis.fetch(url, init);
    answers.push(response);
    return response;
  };
  const openai = new OpenAI({ baseURL: `${router}/openai/v1`, apiKey: "unused", maxRetries: 0, timeout: 15_000, fetch: recording });

  const log = async () => (await fetch(`${upstream}/__received`)).json();
  const mark = async () => (await log()).at(-1)?.seq ?? 0;
  /** What the upstream received since m, as "METHOD path" lines, and the requests themselves. */
  const since = async (m) => {
    const got = (await log()).filter((r) => r.seq > m);
    return { got, lines: got.map((r) => `${r.method} ${r.path}`) };
  };
  const routedBy = (response) => [response.headers.get("x-router-provider"), response.headers.get("x-router-attempts")];

  const checks = [];
  const check = (name, fn) => checks.push({ name, fn });

  check("openai responses.create() with a function tool: the first provider's 429 is invisible, the second's function_call arrives; the follow-up by previous_response_id goes to the same provider", async () => {
    let m = await mark();
    const { data: first, response } = await openai.responses.create({ model: "rate-resp", input: PROMPT, tools: TOOLS }).withResponse();
    assert.deepEqual(routedBy(response), [OA_SECOND, "2"], "x-router-provider and x-router-attempts");
    const tried = await since(m);
    assert.deepEqual(tried.lines, ["POST /v1/responses", "POST /second/v1/responses"], "the primary (429), then the second");
    assert.deepEqual(tried.got[1].body, { model: "rate-resp", input: PROMPT, tools: TOOLS }, "the body as the SDK sent it");
    assert.equal(first.object, "response");
    assert.equal(first.status, "completed");
    assert.equal(first.output_text, PREFACE);
    assert.deepEqual(first.usage, USAGE);
    assert.match(first._request_id ?? "", /^req_up_second_/);
    const call = callOf(first);

    // The primary serves model "resp-ok" (no 429) but does not know the response: only the creator can answer.
    m = await mark();
    const { data: final, response: followed } = await openai.responses
      .create({ model: "resp-ok", previous_response_id: first.id, input: outputFor(call), tools: TOOLS })
      .withResponse();
    const sent = await since(m);
    assert.deepEqual(sent.lines, ["POST /second/v1/responses"], "pinned to the provider that created the response");
    assert.equal(sent.got[0].body.previous_response_id, first.id);
    assert.deepEqual(sent.got[0].body.input, outputFor(call));
    assert.equal(followed.headers.get("x-router-provider"), OA_SECOND);
    assert.equal(final.previous_response_id, first.id);
    assert.equal(final.output_text, FINAL);
    return `429 then ${OA_SECOND}: "${first.output_text}" + ${call.name}(${call.arguments}); follow-up (model resp-ok) to ${OA_SECOND} only: "${final.output_text}"`;
  });

  check("openai responses.stream() with a function tool: events from sequence_number 0 to response.completed, finalResponse() holds the function_call; the follow-up streams the answer", async () => {
    let m = await mark();
    answers.length = 0;
    const stream = openai.responses.stream({ model: "rate-resp-stream", input: PROMPT, tools: TOOLS });
    const events = [];
    const times = [];
    for await (const e of stream) {
      events.push(e);
      times.push(performance.now());
    }
    const final = await stream.finalResponse();
    assert.deepEqual(routedBy(answers.at(-1)), [OA_SECOND, "2"], "x-router-provider and x-router-attempts");
    assert.deepEqual((await since(m)).lines, ["POST /v1/responses", "POST /second/v1/responses"], "the primary (429), then the second");
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ["response.created", "response.in_progress", "response.output_item.added"]);
    assert.equal(types.at(-1), "response.completed");
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i), "sequence_number 0, 1, 2 ... in order");
    const text = events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta);
    assert.deepEqual(text, ["Let me", " check."]);
    const args = events.filter((e) => e.type === "response.function_call_arguments.delta").map((e) => e.delta);
    assert.equal(args.length, 2, "the arguments in two deltas");
    const call = callOf(final);
    assert.equal(args.join(""), call.arguments);
    assert.equal(final.output_text, PREFACE);
    assert.equal(final.status, "completed");
    assert.deepEqual(final.usage, USAGE);
    const spread = times.at(-1) - times[0];
    assert.ok(spread >= minSpreadMs, `events arrive one by one, not all at once (spread ${spread.toFixed(0)} ms)`);

    m = await mark();
    const followUp = openai.responses.stream({ model: "resp-ok", previous_response_id: final.id, input: outputFor(call), tools: TOOLS });
    const deltas = [];
    followUp.on("response.output_text.delta", (e) => deltas.push(e.delta));
    const answer = await followUp.finalResponse();
    assert.deepEqual((await since(m)).lines, ["POST /second/v1/responses"], "pinned to the provider that created the response");
    assert.deepEqual(deltas, ["The tool said", ": ", RESULT, "."]);
    assert.equal(answer.output_text, FINAL);
    assert.equal(answer.previous_response_id, final.id);
    return `${events.length} events over ${spread.toFixed(0)} ms, ${args.length} argument deltas, finalResponse ${call.name}(${call.arguments}); follow-up deltas ${JSON.stringify(deltas)}`;
  });

  check("openai responses (raw bytes, /openai/responses): every event has its event: line, data repeating the type, sequence_number from 0; no [DONE]", async () => {
    const res = await fetch(`${router}/openai/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer unused", accept: "text/event-stream" },
      body: JSON.stringify({ model: "resp-ok", input: "Say hello", stream: true }),
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.equal(res.headers.get("x-router-provider"), OA_PRIMARY);
    const raw = await res.text();
    assert.ok(!raw.includes("[DONE]"), "no [DONE]: the stream ends with response.completed");
    const parsed = parseEvents(raw);
    for (const { name, data } of parsed) assert.equal(name, data.type, `event: ${name} carries data of type ${data.type}`);
    assert.deepEqual(parsed.map((p) => p.data.sequence_number), parsed.map((_, i) => i));
    assert.equal(parsed[0].name, "response.created");
    const done = parsed.at(-1);
    assert.equal(done.name, "response.completed");
    assert.deepEqual(done.data.response.usage, USAGE, "response.completed carries the usage");
    const text = parsed.filter((p) => p.name === "response.output_text.delta").map((p) => p.data.delta).join("");
    assert.equal(text, "Hello from primary.");
    return `${parsed.length} events, ${parsed[0].name} ... ${done.name}, text "${text}"`;
  });

  check("openai responses.stream() broken mid-way: the delta before the break arrives, then the iteration throws APIError", async () => {
    const stream = openai.responses.stream({ model: "resp-break", input: "Say hello" });
    const deltas = [];
    let lastDeltaAt = 0;
    let err;
    try {
      for await (const e of stream) {
        if (e.type !== "response.output_text.delta") continue;
        deltas.push(e.delta);
        lastDeltaAt = performance.now();
      }
    } catch (e) {
      err = e;
    }
    const gap = performance.now() - lastDeltaAt;
    assert.deepEqual(deltas, ["Hello"], "the delta before the break arrives");
    assert.ok(err, "the iteration must throw, not end quietly");
    assert.ok(err instanceof OpenAI.APIError, `APIError expected, got ${err?.constructor?.name}: ${err}`);
    assert.ok(gap >= minSpreadMs, `the delta was yielded before the break, not with it (gap ${gap.toFixed(0)} ms)`);
    assertNoKey(err);
    return `${deltas.length} delta, ${gap.toFixed(0)} ms later ${err.constructor.name}: ${err.message}`;
  });

  check("openai responses (raw bytes) broken mid-way: the router's event: error continues the sequence_number", async () => {
    const res = await fetch(`${router}/openai/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer unused", accept: "text/event-stream" },
      body: JSON.stringify({ model: "resp-break", input: "Say hello", stream: true }),
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(res.status, 200);
    const parsed = parseEvents(await res.text());
    const names = parsed.map((p) => p.name);
    const at = names.indexOf("error");
    assert.ok(at > 0, `an error event after the relayed ones: ${names}`);
    assert.equal(names[at - 1], "response.output_text.delta", "right after the last relayed event");
    assert.deepEqual(parsed.map((p) => p.data.sequence_number), parsed.map((_, i) => i), "one numbering, the error event included");
    assert.ok(!names.includes("response.completed"), "no response.completed after a break");
    const error = parsed[at].data;
    assert.equal(error.type, "error");
    const message = error.error?.message ?? error.message;
    assert.ok(typeof message === "string" && message.length > 0, `a message: ${JSON.stringify(error)}`);
    return `${names.join(", ")}; error ${JSON.stringify(error)}`;
  });

  check("openai responses.retrieve() (plain and streamed), inputItems.list(), cancel() and delete() reach the provider that created the response", async () => {
    const created = await openai.responses.create({ model: "rate-resp", input: [{ role: "user", content: "Say hello" }] });
    const background = await openai.responses.create({ model: "rate-resp", input: "Take your time", background: true });
    assert.equal(background.status, "queued");
    const m = await mark();
    const again = await openai.responses.retrieve(created.id);
    assert.equal(again.id, created.id);
    assert.equal(again.output_text, "Hello from second.");
    const items = [];
    for await (const item of openai.responses.inputItems.list(created.id)) items.push(item);
    assert.equal(items.length, 1);
    assert.equal(items[0].role, "user");
    assert.deepEqual(items[0].content, [{ type: "input_text", text: "Say hello" }]);
    // Resuming by stream, as the SDKs resume a background response: events after the first two.
    const resumed = [];
    const stream = await openai.responses.retrieve(created.id, { stream: true, starting_after: 1 });
    for await (const event of stream) resumed.push(event);
    assert.equal(resumed[0].sequence_number, 2, `resumed after starting_after: ${JSON.stringify(resumed[0])}`);
    assert.equal(resumed.at(-1).type, "response.completed");
    assert.equal(resumed.at(-1).response.id, created.id);
    const cancelled = await openai.responses.cancel(background.id);
    assert.equal(cancelled.status, "cancelled");
    await openai.responses.delete(created.id);
    assert.deepEqual((await since(m)).lines, [
      `GET /second/v1/responses/${created.id}`,
      `GET /second/v1/responses/${created.id}/input_items`,
      `GET /second/v1/responses/${created.id}`,
      `POST /second/v1/responses/${background.id}/cancel`,
      `DELETE /second/v1/responses/${created.id}`,
    ]);
    const gone = await openai.responses.retrieve(created.id).then(
      () => assert.fail("a deleted response must be a NotFoundError"),
      (e) => e,
    );
    assert.ok(gone instanceof OpenAI.NotFoundError, `NotFoundError expected, got ${gone?.constructor?.name}: ${gone}`);
    assertNoKey(gone);
    return `retrieve, input_items (${items.length}), retrieve streamed (${resumed.length} events), cancel (${cancelled.status}), delete: all to ${OA_SECOND}; then ${gone.constructor.name} ${gone.status}`;
  });

  check("openai responses.create() with every provider rate limited gives a RateLimitError without a key", async () => {
    const err = await openai.responses.create({ model: "rate-all", input: PROMPT, tools: TOOLS }).then(
      () => assert.fail("expected a RateLimitError"),
      (e) => e,
    );
    assert.ok(err instanceof OpenAI.RateLimitError, `RateLimitError expected, got ${err?.constructor?.name}: ${err}`);
    assert.equal(err.status, 429);
    assert.ok(Number(err.headers.get("retry-after")) >= 1, "retry-after");
    assertNoKey(err);
    return `${err.constructor.name} ${err.status}: ${err.message}`;
  });

  return checks;
}
