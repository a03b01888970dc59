// Embeddings, legacy completions and count_tokens through the router (issue 15, point 5), with the
// official SDKs against check.mjs's router: openai's embeddings.create() (by default it asks for
// base64 and decodes the float32 bytes itself) and completions.create() (JSON and stream), the
// Anthropic SDK's messages.countTokens() and its beta variant. The fake (upstream-endpoints.mjs)
// answers input i's embedding EMBEDDING_BASE + i, "Hello from <provider>." for a completion, and
// counts 3 + the words of the system and message texts + 20 per tool; a model "rate..." is a 429
// on the primary.
import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { EMBEDDING_BASE } from "./upstream-endpoints.mjs";

const OA_PRIMARY = "openai-primary";
const OA_SECOND = "openai-second";
const AN_PRIMARY = "anthropic-primary";
const AN_SECOND = "anthropic-second";
const SECOND = "Hello from second.";
const shifted = (i, n = EMBEDDING_BASE.length) => EMBEDDING_BASE.slice(0, n).map((v) => v + i);

/**
 * The checks, as [{name, fn}]: ctx = {router, upstream, minSpreadMs} (check.mjs's; its router's
 * providers *-primary and *-second are on the upstream's "" and /second).
 */
export function endpointChecks({ router, upstream, minSpreadMs }) {
  const openai = new OpenAI({ baseURL: `${router}/openai/v1`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
  const openaiBare = new OpenAI({ baseURL: `${router}/openai`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
  const anthropic = new Anthropic({ baseURL: `${router}/anthropic`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });

  const log = async () => (await fetch(`${upstream}/__received`)).json();
  const mark = async () => (await log()).at(-1)?.seq ?? 0;
  /** What the upstream received since m, as "METHOD path" lines, and the requests themselves. */
  const since = async (m) => {
    const got = (await log()).filter((r) => r.seq > m);
    return { got, lines: got.map((r) => `${r.method} ${r.path}${r.query}`) };
  };
  const routedBy = (response) => [response.headers.get("x-router-provider"), response.headers.get("x-router-attempts")];

  const checks = [];
  const check = (name, fn) => checks.push({ name, fn });

  // ------------------------------------------------------------------------------ embeddings

  check("openai embeddings.create() (SDK default: base64): the first provider's 429 is invisible, the SDK decodes the second's float32 bytes", async () => {
    const m = await mark();
    const { data, response } = await openai.embeddings.create({ model: "rate-embed", input: ["first", "second"] }).withResponse();
    assert.deepEqual(routedBy(response), [OA_SECOND, "2"], "x-router-provider and x-router-attempts");
    const { got, lines } = await since(m);
    assert.deepEqual(lines, ["POST /v1/embeddings", "POST /second/v1/embeddings"], "the primary (429), then the second");
    assert.equal(got[1].body.encoding_format, "base64", "the SDK asked for base64");
    assert.equal(data.object, "list");
    assert.deepEqual(data.data.map((e) => e.index), [0, 1]);
    assert.deepEqual(data.data[0].embedding, shifted(0), "decoded from float32 little-endian");
    assert.deepEqual(data.data[1].embedding, shifted(1));
    assert.deepEqual(data.usage, { prompt_tokens: 4, total_tokens: 4 });
    assert.equal(data.model, "rate-embed");
    return `2 vectors of ${data.data[0].embedding.length} via ${OA_SECOND} after a 429, first ${JSON.stringify(data.data[0].embedding)}`;
  });

  check('openai embeddings.create() with encoding_format "float" and dimensions (/openai/embeddings): the floats as sent', async () => {
    const m = await mark();
    const input = "one text";
    const { data, response } = await openaiBare.embeddings
      .create({ model: "ok", input, encoding_format: "float", dimensions: 4 })
      .withResponse();
    assert.deepEqual(routedBy(response), [OA_PRIMARY, "1"]);
    const { got, lines } = await since(m);
    assert.deepEqual(lines, ["POST /v1/embeddings"]);
    assert.deepEqual(got[0].body, { model: "ok", input, encoding_format: "float", dimensions: 4 });
    assert.deepEqual(data.data, [{ object: "embedding", index: 0, embedding: shifted(0, 4) }]);
    return `${JSON.stringify(data.data[0].embedding)} via ${OA_PRIMARY}`;
  });

  // ---------------------------------------------------------------------- legacy completions

  check("openai completions.create() (legacy): the first provider's 429 is invisible, the second's text", async () => {
    const m = await mark();
    const { data, response } = await openai.completions.create({ model: "rate-cmpl", prompt: "Say hello", max_tokens: 16 }).withResponse();
    assert.deepEqual(routedBy(response), [OA_SECOND, "2"], "x-router-provider and x-router-attempts");
    assert.deepEqual((await since(m)).lines, ["POST /v1/completions", "POST /second/v1/completions"]);
    assert.equal(data.object, "text_completion");
    assert.equal(data.choices.length, 1);
    assert.equal(data.choices[0].text, SECOND);
    assert.equal(data.choices[0].finish_reason, "stop");
    assert.deepEqual(data.usage, { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
    return `"${data.choices[0].text}" via ${OA_SECOND} after a 429`;
  });

  check("openai completions.create({stream: true, include_usage}) (legacy): fragments in order, then the usage chunk", async () => {
    const m = await mark();
    const { data: stream, response } = await openai.completions
      .create({ model: "rate-cmpl-stream", prompt: "Say hello", stream: true, stream_options: { include_usage: true } })
      .withResponse();
    assert.deepEqual(routedBy(response), [OA_SECOND, "2"], "x-router-provider and x-router-attempts");
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const chunks = [];
    const times = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      times.push(performance.now());
    }
    assert.deepEqual((await since(m)).lines, ["POST /v1/completions", "POST /second/v1/completions"]);
    assert.ok(chunks.every((c) => c.object === "text_completion"), "every chunk is a text_completion");
    const texts = chunks.flatMap((c) => c.choices.map((ch) => ch.text)).filter((t) => t !== "");
    assert.deepEqual(texts, ["Hello", " from", " second", "."]);
    assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === "stop"), "a chunk with finish_reason stop");
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, [], "the usage chunk comes last, with choices []");
    assert.deepEqual(last.usage, { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
    const spread = times.at(-1) - times[0];
    assert.ok(spread >= minSpreadMs, `chunks arrive one by one, not all at once (spread ${spread.toFixed(0)} ms)`);
    return `${chunks.length} chunks over ${spread.toFixed(0)} ms, ${JSON.stringify(texts)}, usage total ${last.usage.total_tokens}`;
  });

  // ---------------------------------------------------------------------------- count_tokens

  const TOOL = {
    name: "get_weather",
    description: "The weather of a city",
    input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  };
  // 3 + "Be brief." (2 words) + "How many tokens is this sentence?" (6 words) + 20 for the tool
  const COUNT = { input_tokens: 31 };
  const counted = (model) => ({
    model,
    system: "Be brief.",
    messages: [{ role: "user", content: "How many tokens is this sentence?" }],
    tools: [TOOL],
  });

  check("anthropic messages.countTokens(): the first provider's 429 is invisible, {input_tokens} from the second", async () => {
    const m = await mark();
    const { data, response } = await anthropic.messages.countTokens(counted("rate-count")).withResponse();
    assert.deepEqual(routedBy(response), [AN_SECOND, "2"], "x-router-provider and x-router-attempts");
    const { got, lines } = await since(m);
    assert.deepEqual(lines, ["POST /v1/messages/count_tokens", "POST /second/v1/messages/count_tokens"]);
    assert.deepEqual(got[1].body, counted("rate-count"), "the body as the SDK sent it: no max_tokens, no stream");
    assert.ok(got[1].headers["anthropic-version"], "anthropic-version is sent");
    assert.deepEqual(data, COUNT);
    return `${JSON.stringify(data)} via ${AN_SECOND} after a 429`;
  });

  // Claude Code posts count_tokens?beta=true (AGENTS.md); this SDK's beta variant sends only the
  // anthropic-beta header (1.14 keeps "beta" as an internal qualifier), so the query is asked for.
  check("anthropic beta.messages.countTokens() as Claude Code sends it: ?beta=true and the anthropic-beta header reach the provider", async () => {
    const m = await mark();
    const { data, response } = await anthropic.beta.messages
      .countTokens({ ...counted("ok"), betas: ["context-management-2025-06-27"] }, { query: { beta: "true" } })
      .withResponse();
    assert.deepEqual(routedBy(response), [AN_PRIMARY, "1"]);
    const { got, lines } = await since(m);
    assert.deepEqual(lines, ["POST /v1/messages/count_tokens?beta=true"]);
    const beta = got[0].headers["anthropic-beta"] ?? "";
    assert.match(beta, /context-management-2025-06-27/);
    assert.match(beta, /token-counting-2024-11-01/);
    assert.deepEqual(data, COUNT);
    return `${JSON.stringify(data)} via ${AN_PRIMARY}, anthropic-beta: ${beta}`;
  });

  return checks;
}
