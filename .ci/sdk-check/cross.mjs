// Tool calls across the APIs (issue 14, point 4.3): the official SDKs and the Vercel AI SDK against
// the "cross" router (run.sh), whose /openai endpoint's only provider speaks Anthropic Messages and
// whose /anthropic endpoint's only provider speaks OpenAI Chat Completions, both on the upstream's
// /agent prefix. Model "cross-tool" (upstream.mjs) answers, in the PROVIDER's API: a short text and
// ONE call of the first tool offered (input CROSS_INPUT); once the request carries the tool result,
// "The tool said: <result>."; without tools, a plain text in four parts. Usage is 31 in, 7 out.
// Each check asserts what the client sees (text, tool names, parsed arguments, stop reason, usage)
// and what the upstream was sent (its path, the tools and the tool result in the provider's shape).
import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { generateText, stepCountIs, streamText, tool } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { createAnthropic } from "@ai-sdk/anthropic";
import { z } from "zod";

const MODEL = "cross-tool";
const INPUT = { city: "Paris", days: 2 };
const PREFACE = "Let me check.";
const RESULT = "sunny, 22 C";
const FINAL = `The tool said: ${RESULT}.`;
const PLAIN = ["Cross", " text", " from", " the fake."];
const UP = { openai: "/agent/v1/chat/completions", anthropic: "/agent/v1/messages" };
// The endpoint's only provider on the cross router (run.sh), and the upstream path it speaks.
const VIA = {
  openai: { provider: "agent-anthropic-for-openai", path: UP.anthropic },
  anthropic: { provider: "agent-openai-for-anthropic", path: UP.openai },
};
const SCHEMA = {
  type: "object",
  properties: { city: { type: "string" }, days: { type: "integer" } },
  required: ["city", "days"],
};
/** OpenAI usage translated from the provider's 31 in, 7 out (cached_tokens 0 may be added, as OpenAI does). */
function assertOaUsage(usage) {
  const { prompt_tokens_details: details, ...core } = usage ?? {};
  assert.deepEqual(core, { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 }, `usage ${JSON.stringify(usage)}`);
  assert.equal(details?.cached_tokens ?? 0, 0, `usage ${JSON.stringify(usage)}`);
}
const PROMPT = "What is the weather in Paris for the next 2 days? Use the tool.";

/** The checks, as [{name, fn}]: ctx = {crossRouter, upstream}. */
export function crossChecks({ crossRouter, upstream }) {
  const openai = new OpenAI({ baseURL: `${crossRouter}/openai`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
  const anthropic = new Anthropic({ baseURL: `${crossRouter}/anthropic`, apiKey: "unused", maxRetries: 0, timeout: 15_000 });
  const oa = createOpenAI({ baseURL: `${crossRouter}/openai/v1`, apiKey: "unused" });
  const an = createAnthropic({ baseURL: `${crossRouter}/anthropic/v1`, apiKey: "unused" });

  const oaTools = [{ type: "function", function: { name: "get_weather", description: "The weather of a city", parameters: SCHEMA } }];
  const anTools = [{ name: "get_weather", description: "The weather of a city", input_schema: SCHEMA }];
  const oaChat = (extra = {}) => ({ model: MODEL, messages: [{ role: "user", content: PROMPT }], ...extra });
  const anMsg = (extra = {}) => ({ model: MODEL, max_tokens: 256, messages: [{ role: "user", content: PROMPT }], ...extra });

  const log = async () => (await fetch(`${upstream}/__received`)).json();
  const mark = async () => (await log()).at(-1)?.seq ?? 0;
  /** The upstream's requests since m, all of which must be the cross-tool model's on the expected path. */
  const received = async (m, endpoint, count) => {
    const got = (await log()).filter((r) => r.seq > m);
    assert.deepEqual(
      got.map((r) => `${r.path} ${r.body?.model}`),
      Array(count).fill(`${VIA[endpoint].path} ${MODEL}`),
      `the upstream was sent ${count} request(s) in the provider's API`,
    );
    return got;
  };
  /** The tool names a received request offered, in the provider's shape. */
  const offered = (r, api) => (r.body.tools ?? []).map((t) => (api === "openai" ? t.function?.name : t.name));
  /** The tool results a received request carried: [{id, text}] in the provider's shape. */
  const resultsOf = (r, api) =>
    api === "openai"
      ? r.body.messages.filter((m) => m.role === "tool").map((m) => ({ id: m.tool_call_id, text: JSON.stringify(m.content) }))
      : r.body.messages
          .filter((m) => m.role === "user" && Array.isArray(m.content))
          .flatMap((m) => m.content.filter((b) => b.type === "tool_result"))
          .map((b) => ({ id: b.tool_use_id, text: JSON.stringify(b.content) }));

  const checks = [];
  const check = (name, fn) => checks.push({ name, fn });

  // -------------------------------------------------------- openai SDK -> Anthropic provider

  check("cross openai SDK (/openai -> Anthropic provider): create() with a tool gives the tool call, then the answer to its result", async () => {
    const m = await mark();
    const { data, response } = await openai.chat.completions.create(oaChat({ tools: oaTools })).withResponse();
    assert.equal(response.headers.get("x-router-provider"), VIA.openai.provider);
    const message = data.choices[0].message;
    assert.equal(data.choices[0].finish_reason, "tool_calls");
    assert.equal(message.content, PREFACE);
    assert.equal(message.tool_calls?.length, 1, `one tool call: ${JSON.stringify(message)}`);
    const call = message.tool_calls[0];
    assert.equal(call.type, "function");
    assert.equal(call.function.name, "get_weather");
    assert.deepEqual(JSON.parse(call.function.arguments), INPUT);
    assert.ok(typeof call.id === "string" && call.id.length > 0, "the call has an id");
    assertOaUsage(data.usage);
    const next = await openai.chat.completions.create(
      oaChat({
        tools: oaTools,
        messages: [
          { role: "user", content: PROMPT },
          { role: "assistant", content: message.content, tool_calls: message.tool_calls },
          { role: "tool", tool_call_id: call.id, content: RESULT },
        ],
      }),
    );
    assert.equal(next.choices[0].message.content, FINAL);
    assert.equal(next.choices[0].finish_reason, "stop");
    assert.ok(!(next.choices[0].message.tool_calls?.length > 0), "no tool call in the final answer");
    const [first, second] = await received(m, "openai", 2);
    assert.deepEqual(offered(first, "anthropic"), ["get_weather"]);
    assert.deepEqual(first.body.tools[0].input_schema, SCHEMA, "the schema went through as input_schema");
    const results = resultsOf(second, "anthropic");
    assert.equal(results.length, 1, `one tool_result block: ${JSON.stringify(second.body.messages)}`);
    assert.equal(results[0].id, call.id, "tool_use_id is the call's id");
    assert.ok(results[0].text.includes(RESULT), `the tool result's text: ${results[0].text}`);
    return `tool call get_weather(${call.function.arguments}), usage 31+7=38, then "${next.choices[0].message.content}"`;
  });

  check("cross openai SDK (/openai -> Anthropic provider): chat.completions.stream() with a tool, finalChatCompletion()", async () => {
    const m = await mark();
    const stream = openai.chat.completions.stream(oaChat({ tools: oaTools, stream_options: { include_usage: true } }));
    const deltas = [];
    const argDeltas = [];
    stream.on("content.delta", ({ delta }) => deltas.push(delta));
    stream.on("tool_calls.function.arguments.delta", ({ arguments_delta }) => argDeltas.push(arguments_delta));
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0];
    assert.equal(choice.finish_reason, "tool_calls");
    assert.equal(choice.message.content, PREFACE);
    assert.equal(deltas.join(""), PREFACE);
    assert.equal(choice.message.tool_calls?.length, 1, `one tool call: ${JSON.stringify(choice.message)}`);
    const call = choice.message.tool_calls[0];
    assert.equal(call.function.name, "get_weather");
    assert.deepEqual(JSON.parse(call.function.arguments), INPUT);
    assert.equal(argDeltas.join(""), call.function.arguments);
    assertOaUsage(final.usage);
    const [got] = await received(m, "openai", 1);
    assert.equal(got.body.stream, true);
    return `${deltas.length} text deltas "${deltas.join("")}", ${argDeltas.length} argument deltas, get_weather(${call.function.arguments}), usage ${final.usage.total_tokens}`;
  });

  check("cross openai SDK (/openai -> Anthropic provider): a plain text stream yields its deltas and the usage chunk", async () => {
    const m = await mark();
    const stream = await openai.chat.completions.create(oaChat({ stream: true, stream_options: { include_usage: true } }));
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const deltas = chunks.flatMap((c) => (c.choices ?? []).map((ch) => ch.delta?.content ?? "")).filter((t) => t !== "");
    assert.deepEqual(deltas, PLAIN);
    assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === "stop"), "a chunk with finish_reason stop");
    assert.deepEqual(chunks.at(-1).choices, [], "the usage chunk comes last");
    assertOaUsage(chunks.at(-1).usage);
    await received(m, "openai", 1);
    return `deltas ${JSON.stringify(deltas)}, usage ${chunks.at(-1).usage.total_tokens}`;
  });

  // ------------------------------------------------------ anthropic SDK -> OpenAI provider

  check("cross anthropic SDK (/anthropic -> OpenAI provider): messages.create() with a tool gives tool_use, then the answer to its result", async () => {
    const m = await mark();
    const { data, response } = await anthropic.messages.create(anMsg({ tools: anTools })).withResponse();
    assert.equal(response.headers.get("x-router-provider"), VIA.anthropic.provider);
    assert.equal(data.stop_reason, "tool_use");
    assert.deepEqual(
      data.content.map((b) => b.type),
      ["text", "tool_use"],
      `text then tool_use: ${JSON.stringify(data.content)}`,
    );
    assert.equal(data.content[0].text, PREFACE);
    const use = data.content[1];
    assert.equal(use.name, "get_weather");
    assert.deepEqual(use.input, INPUT);
    assert.ok(typeof use.id === "string" && use.id.length > 0, "the tool_use block has an id");
    assert.equal(data.usage.input_tokens, 31);
    assert.equal(data.usage.output_tokens, 7);
    const next = await anthropic.messages.create(
      anMsg({
        tools: anTools,
        messages: [
          { role: "user", content: PROMPT },
          { role: "assistant", content: data.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: RESULT }] },
        ],
      }),
    );
    assert.equal(next.stop_reason, "end_turn");
    assert.deepEqual(next.content.map((b) => b.type), ["text"]);
    assert.equal(next.content[0].text, FINAL);
    const [first, second] = await received(m, "anthropic", 2);
    assert.deepEqual(offered(first, "openai"), ["get_weather"]);
    assert.deepEqual(first.body.tools[0].function.parameters, SCHEMA, "the schema went through as parameters");
    const results = resultsOf(second, "openai");
    assert.equal(results.length, 1, `one role "tool" message: ${JSON.stringify(second.body.messages)}`);
    assert.equal(results[0].id, use.id, "tool_call_id is the tool_use block's id");
    assert.ok(results[0].text.includes(RESULT), `the tool result's text: ${results[0].text}`);
    return `tool_use get_weather(${JSON.stringify(use.input)}), usage ${data.usage.input_tokens}+${data.usage.output_tokens}, then "${next.content[0].text}"`;
  });

  check("cross anthropic SDK (/anthropic -> OpenAI provider): messages.stream() with a tool, finalMessage(), then end_turn", async () => {
    const m = await mark();
    const stream = anthropic.messages.stream(anMsg({ tools: anTools }));
    const texts = [];
    const json = [];
    stream.on("text", (t) => texts.push(t));
    stream.on("inputJson", (partial) => json.push(partial));
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, "tool_use");
    assert.deepEqual(final.content.map((b) => b.type), ["text", "tool_use"], `text then tool_use: ${JSON.stringify(final.content)}`);
    assert.equal(final.content[0].text, PREFACE);
    assert.equal(texts.join(""), PREFACE);
    const use = final.content[1];
    assert.equal(use.name, "get_weather");
    assert.deepEqual(use.input, INPUT);
    assert.ok(json.length > 0, "inputJson events");
    assert.equal(final.usage.input_tokens, 31, `usage ${JSON.stringify(final.usage)}`);
    assert.equal(final.usage.output_tokens, 7, `usage ${JSON.stringify(final.usage)}`);
    const after = await anthropic.messages
      .stream(
        anMsg({
          tools: anTools,
          messages: [
            { role: "user", content: PROMPT },
            { role: "assistant", content: final.content },
            { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: RESULT }] },
          ],
        }),
      )
      .finalMessage();
    assert.equal(after.stop_reason, "end_turn");
    assert.deepEqual(after.content.map((b) => b.type), ["text"]);
    assert.equal(after.content[0].text, FINAL);
    assert.ok(after.usage.input_tokens > 0 && after.usage.output_tokens > 0, `usage ${JSON.stringify(after.usage)}`);
    const [first, second] = await received(m, "anthropic", 2);
    assert.equal(first.body.stream, true);
    assert.equal(resultsOf(second, "openai")[0]?.id, use.id, "tool_call_id is the tool_use block's id");
    return `${texts.length} text events, ${json.length} inputJson events, get_weather(${JSON.stringify(use.input)}), usage ${final.usage.input_tokens}+${final.usage.output_tokens}; then end_turn "${after.content[0].text}"`;
  });

  // ---------------------------------------------------------------- Vercel AI SDK, both ways

  const weather = () => {
    const calls = [];
    return {
      calls,
      tools: {
        get_weather: tool({
          description: "The weather of a city",
          inputSchema: z.object({ city: z.string(), days: z.number().int() }),
          execute: async (input) => {
            calls.push(input);
            return RESULT;
          },
        }),
      },
    };
  };
  const aiCall = (model, tools) => ({ model, prompt: PROMPT, tools, stopWhen: stepCountIs(3), maxRetries: 0, maxOutputTokens: 256 });

  /** What both AI SDK functions must show: two steps, the call, its result, the final text, usage. */
  const assertAiRun = ({ steps, text, usage, calls }) => {
    assert.deepEqual(calls, [INPUT], "execute ran once with the parsed input");
    assert.equal(steps.length, 2, `two steps, got ${steps.length}`);
    assert.equal(steps[0].finishReason, "tool-calls");
    assert.deepEqual(steps[0].toolCalls.map((c) => [c.toolName, c.input]), [["get_weather", INPUT]]);
    assert.deepEqual(steps[0].toolResults.map((r) => r.output), [RESULT]);
    assert.equal(steps[0].text, PREFACE);
    assert.equal(steps[1].finishReason, "stop");
    assert.equal(text, FINAL);
    assert.equal(usage.inputTokens, 62, `usage ${JSON.stringify(usage)}`);
    assert.equal(usage.outputTokens, 14, `usage ${JSON.stringify(usage)}`);
  };

  for (const [label, endpoint, model] of [
    ["openai (/openai/v1 -> Anthropic provider)", "openai", () => oa.chat(MODEL)],
    ["anthropic (/anthropic/v1 -> OpenAI provider)", "anthropic", () => an(MODEL)],
  ]) {
    check(`cross ai-sdk ${label}: generateText() with a tool runs it and returns the final text`, async () => {
      const m = await mark();
      const w = weather();
      const r = await generateText(aiCall(model(), w.tools));
      assertAiRun({ steps: r.steps, text: r.text, usage: r.totalUsage, calls: w.calls });
      assert.equal(r.response.headers["x-router-provider"], VIA[endpoint].provider);
      const [first, second] = await received(m, endpoint, 2);
      const api = endpoint === "openai" ? "anthropic" : "openai";
      assert.deepEqual(offered(first, api), ["get_weather"]);
      assert.ok(resultsOf(second, api)[0]?.text.includes(RESULT), `the tool result went back: ${JSON.stringify(second.body.messages)}`);
      return `get_weather(${JSON.stringify(w.calls[0])}) -> "${RESULT}", final "${r.text}", usage ${r.totalUsage.inputTokens}+${r.totalUsage.outputTokens}`;
    });

    check(`cross ai-sdk ${label}: streamText() with a tool runs it and streams the final text`, async () => {
      const m = await mark();
      const w = weather();
      const errors = [];
      const result = streamText({ ...aiCall(model(), w.tools), onError: ({ error }) => errors.push(error) });
      const types = [];
      const deltas = [];
      for await (const part of result.fullStream) {
        types.push(part.type);
        if (part.type === "text-delta") deltas.push(part.text);
        if (part.type === "error") errors.push(part.error);
      }
      assert.deepEqual(errors, [], "no error part");
      assert.ok(types.includes("tool-call") && types.includes("tool-result"), `tool-call and tool-result parts: ${JSON.stringify(types)}`);
      assert.equal(deltas.join(""), PREFACE + FINAL);
      assertAiRun({ steps: await result.steps, text: await result.text, usage: await result.totalUsage, calls: w.calls });
      const [first] = await received(m, endpoint, 2);
      assert.equal(first.body.stream, true);
      return `${deltas.length} text deltas, parts ${[...new Set(types)].join(",")}, final "${await result.text}"`;
    });
  }

  return checks;
}
