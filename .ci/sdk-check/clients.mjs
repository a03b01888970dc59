// The client libraries built on the SDKs, pointed at the router by base URL only: the Vercel AI SDK
// (ai + @ai-sdk/openai + @ai-sdk/anthropic) and LangChain JS (@langchain/openai, @langchain/anthropic).
// check.mjs runs these checks after its own and before its router-log check, so one summary line
// and the one-line-per-request count cover them too. Every check sends exactly one request: each
// library is told maxRetries: 0, so nothing here depends on a library's own retry loop.
//
// Importing this module also installs a fetch guard: any request to a host other than 127.0.0.1
// (a tracing exporter, a tokenizer download) is refused and recorded; offHostRequests() lists them.
import assert from "node:assert/strict";
import { generateText, streamText } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { createAnthropic } from "@ai-sdk/anthropic";
import { ChatOpenAI } from "@langchain/openai";
import { ChatAnthropic } from "@langchain/anthropic";

// ------------------------------------------------------------------------------- fetch guard

const refused = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== "127.0.0.1") {
    refused.push(url.href);
    return Promise.reject(new Error(`sdk-check: refused a request off 127.0.0.1: ${url.href}`));
  }
  return realFetch(input, init);
};

/** Every URL a library tried to reach off 127.0.0.1 (refused by the guard). */
export function offHostRequests() {
  return [...refused];
}

// ------------------------------------------------------------------------------------ checks

const PRIMARY = "Hello from primary.";
const SECOND = "Hello from second.";
const PROMPT = "Say hello";

/**
 * The checks, as [{name, fn}]; fn resolves to a detail string or throws.
 *   router       http://127.0.0.1:<port>
 *   minSpreadMs  the least time between the first and last delta of a relayed (not buffered) stream
 *   assertNoKey  throws when a configured provider key appears in what it is given
 */
export function clientChecks({ router, minSpreadMs, assertNoKey }) {
  const oa = createOpenAI({ baseURL: `${router}/openai/v1`, apiKey: "unused" });
  const an = createAnthropic({ baseURL: `${router}/anthropic/v1`, apiKey: "unused" });
  // The AI SDK warns (and caps max_tokens) for Anthropic models it does not know: say it.
  const ai = (model) => ({ model, prompt: PROMPT, maxRetries: 0, maxOutputTokens: 64 });
  const lcOpenAI = (model) =>
    new ChatOpenAI({ model, apiKey: "unused", configuration: { baseURL: `${router}/openai` }, maxRetries: 0, timeout: 15_000 });
  const lcAnthropic = (model) =>
    new ChatAnthropic({ model, apiKey: "unused", anthropicApiUrl: `${router}/anthropic`, maxRetries: 0, maxTokens: 64 });

  /**
   * Waits (bounded) until every provider of the endpoint is healthy again, so that "ok" is answered
   * by the primary and "rate" really meets the primary's 429: earlier checks cool providers down
   * for a second (retry-after: 1).
   */
  async function settle(endpoint) {
    let providers = [];
    for (let waited = 0; waited < 5000; waited += 100) {
      const health = await (await fetch(`${router}/health`)).json();
      providers = health.endpoints[endpoint].providers;
      if (providers.every((p) => p.state === "healthy")) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`the ${endpoint} providers did not become healthy: ${JSON.stringify(providers)}`);
  }

  /** Drains an AI SDK fullStream: text deltas with their times, error parts, the finish part. */
  async function drainAi(result) {
    const texts = [];
    const times = [];
    const errors = [];
    const types = [];
    let finish;
    let errorAt;
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "text-delta") {
        texts.push(part.text);
        times.push(performance.now());
      } else if (part.type === "error") {
        errors.push(part.error);
        errorAt ??= performance.now();
      } else if (part.type === "finish") {
        finish = part;
      }
    }
    return { texts, times, errors, types, finish, errorAt };
  }

  /** Drains a LangChain stream(): non-empty string contents with their times, and what it threw. */
  async function drainLc(model) {
    const texts = [];
    const times = [];
    let err;
    try {
      for await (const chunk of await model.stream(PROMPT)) {
        if (typeof chunk.content === "string" && chunk.content !== "") {
          texts.push(chunk.content);
          times.push(performance.now());
        }
      }
    } catch (e) {
      err = e;
    }
    return { texts, times, err };
  }

  const spreadOf = (times) => times.at(-1) - times[0];
  const assertRelayed = (times, what) => {
    const spread = spreadOf(times);
    assert.ok(spread >= minSpreadMs, `${what} arrive one by one, not all at once (spread ${spread.toFixed(0)} ms)`);
    return spread;
  };
  const errText = (e) => (e instanceof Error ? e.message : JSON.stringify(e));

  const checks = [];
  const check = (name, fn) => checks.push({ name, fn });

  // ----------------------------------------------------------------- Vercel AI SDK: answers

  check("ai-sdk openai: generateText() returns the text", async () => {
    await settle("openai");
    const r = await generateText(ai(oa.chat("ok")));
    assert.equal(r.text, PRIMARY);
    assert.equal(r.finishReason, "stop");
    assert.deepEqual(r.warnings, []);
    assert.equal(r.usage.inputTokens, 9);
    assert.equal(r.usage.outputTokens, 4);
    assert.equal(r.response.headers["x-router-provider"], "openai-primary");
    return `"${r.text}", finishReason ${r.finishReason}, via ${r.response.headers["x-router-provider"]}`;
  });

  check("ai-sdk anthropic: generateText() returns the text", async () => {
    await settle("anthropic");
    const r = await generateText(ai(an("ok")));
    assert.equal(r.text, PRIMARY);
    assert.equal(r.finishReason, "stop");
    assert.deepEqual(r.warnings, []);
    assert.equal(r.usage.inputTokens, 12);
    assert.equal(r.usage.outputTokens, 4);
    assert.equal(r.response.headers["x-router-provider"], "anthropic-primary");
    return `"${r.text}", finishReason ${r.finishReason}, via ${r.response.headers["x-router-provider"]}`;
  });

  for (const [label, model, endpoint, usage] of [
    ["openai", () => oa.chat("ok"), "openai", { inputTokens: 9, outputTokens: 4 }],
    ["anthropic", () => an("ok"), "anthropic", { inputTokens: 12, outputTokens: 4 }],
  ]) {
    check(`ai-sdk ${label}: streamText() yields the text deltas in order`, async () => {
      await settle(endpoint);
      const errors = [];
      const result = streamText({ ...ai(model()), onError: ({ error }) => errors.push(error) });
      const s = await drainAi(result);
      assert.deepEqual(s.texts, ["Hello", " from", " primary", "."]);
      assert.deepEqual(s.errors, [], "no error part");
      assert.deepEqual(errors, [], "onError not called");
      assert.equal(s.finish?.finishReason, "stop");
      assert.equal(await result.text, PRIMARY);
      const total = await result.totalUsage;
      assert.equal(total.inputTokens, usage.inputTokens);
      assert.equal(total.outputTokens, usage.outputTokens);
      const response = await result.response;
      assert.equal(response.headers["x-router-provider"], `${endpoint}-primary`);
      const spread = assertRelayed(s.times, "text deltas");
      const usageText = `${total.inputTokens}+${total.outputTokens}`;
      return `${s.texts.length} deltas over ${spread.toFixed(0)} ms ${JSON.stringify(s.texts)}, finishReason ${s.finish.finishReason}, usage ${usageText}`;
    });
  }

  // --------------------------------------------------------------------- LangChain: answers

  for (const [label, make, endpoint, stopField, stopValue] of [
    ["ChatOpenAI", lcOpenAI, "openai", "finish_reason", "stop"],
    ["ChatAnthropic", lcAnthropic, "anthropic", "stop_reason", "end_turn"],
  ]) {
    check(`langchain ${label}: invoke() returns the text`, async () => {
      await settle(endpoint);
      const message = await make("ok").invoke(PROMPT);
      assert.equal(message.content, PRIMARY);
      assert.equal(message.response_metadata[stopField], stopValue);
      assert.equal(message.usage_metadata?.output_tokens, 4);
      return `"${message.content}", ${stopField} ${stopValue}, output_tokens ${message.usage_metadata.output_tokens}`;
    });
  }

  for (const [label, make, endpoint] of [
    ["ChatOpenAI", lcOpenAI, "openai"],
    ["ChatAnthropic", lcAnthropic, "anthropic"],
  ]) {
    check(`langchain ${label}: stream() yields the chunks in order`, async () => {
      await settle(endpoint);
      const s = await drainLc(make("ok"));
      if (s.err) throw s.err;
      assert.deepEqual(s.texts, ["Hello", " from", " primary", "."]);
      const spread = assertRelayed(s.times, "chunks");
      return `${s.texts.length} text chunks over ${spread.toFixed(0)} ms ${JSON.stringify(s.texts)}`;
    });
  }

  // ---------------------------------------------------------------------------- fallback

  for (const [label, model, endpoint] of [
    ["openai", () => oa.chat("rate"), "openai"],
    ["anthropic", () => an("rate"), "anthropic"],
  ]) {
    check(`ai-sdk ${label}: fallback on 429 is invisible (answered by the second provider)`, async () => {
      await settle(endpoint);
      const r = await generateText(ai(model()));
      assert.equal(r.text, SECOND);
      assert.equal(r.finishReason, "stop");
      assert.deepEqual(r.warnings, []);
      assert.equal(r.steps.length, 1);
      assert.equal(r.response.headers["x-router-provider"], `${endpoint}-second`);
      assert.equal(r.response.headers["x-router-attempts"], "2");
      return `"${r.text}" via ${endpoint}-second, attempts ${r.response.headers["x-router-attempts"]}`;
    });
  }

  for (const [label, make, endpoint] of [
    ["ChatOpenAI", lcOpenAI, "openai"],
    ["ChatAnthropic", lcAnthropic, "anthropic"],
  ]) {
    check(`langchain ${label}: fallback on 429 is invisible (answered by the second provider)`, async () => {
      await settle(endpoint);
      const message = await make("rate").invoke(PROMPT);
      assert.equal(message.content, SECOND);
      return `"${message.content}"`;
    });
  }

  // -------------------------------------------------------------------- mid-stream break

  for (const [label, model] of [
    ["openai", () => oa.chat("break")],
    ["anthropic", () => an("break")],
  ]) {
    check(`ai-sdk ${label}: a stream broken mid-way gives an error part and finishReason error, not stop`, async () => {
      const reported = [];
      const result = streamText({ ...ai(model()), onError: ({ error }) => reported.push(error) });
      const s = await drainAi(result);
      assert.deepEqual(s.texts, ["Hello", " from"], "the deltas before the break arrive");
      assert.equal(s.errors.length, 1, `one error part, got parts ${JSON.stringify(s.types)}`);
      assert.deepEqual(reported, s.errors, "onError sees the same error");
      assert.ok(s.finish, `a finish part, got parts ${JSON.stringify(s.types)}`);
      assert.notEqual(s.finish.finishReason, "stop", "a broken stream must not look like a clean finish");
      assert.equal(s.finish.finishReason, "error");
      assert.equal(await result.finishReason, "error");
      assert.ok(s.types.indexOf("error") > s.types.lastIndexOf("text-delta"), "the error part comes after the deltas");
      assert.match(errText(s.errors[0]), /broke before it was complete/);
      assertNoKey({ message: errText(s.errors[0]), error: s.errors[0] });
      const gap = s.errorAt - s.times.at(-1);
      assert.ok(gap >= minSpreadMs, `the deltas were yielded before the break, not with it (gap ${gap.toFixed(0)} ms)`);
      return `deltas ${JSON.stringify(s.texts)}, ${gap.toFixed(0)} ms later an error part "${errText(s.errors[0])}", finishReason ${s.finish.finishReason}`;
    });
  }

  for (const [label, make] of [
    ["ChatOpenAI", lcOpenAI],
    ["ChatAnthropic", lcAnthropic],
  ]) {
    check(`langchain ${label}: a stream broken mid-way makes stream() throw`, async () => {
      const s = await drainLc(make("break"));
      const gap = performance.now() - (s.times.at(-1) ?? 0);
      assert.deepEqual(s.texts, ["Hello", " from"], "the chunks before the break arrive");
      assert.ok(s.err, "the iteration must throw, not end quietly");
      assert.equal(s.err.constructor?.name, "APIError", `the SDK's APIError expected, got ${s.err?.constructor?.name}: ${s.err}`);
      assert.match(s.err.message, /broke before it was complete/);
      assertNoKey(s.err);
      assert.ok(gap >= minSpreadMs, `the chunks were yielded before the break, not with it (gap ${gap.toFixed(0)} ms)`);
      return `${s.texts.length} chunks, ${gap.toFixed(0)} ms later ${s.err.constructor.name}: ${s.err.message}`;
    });
  }

  return checks;
}
