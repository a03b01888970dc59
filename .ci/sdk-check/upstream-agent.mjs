// The fake upstream's two scenarios on its /agent prefix (upstream.mjs dispatches to them):
//   agent       coding agents (agents.mjs): ONE call of the agent's file-reading (or shell) tool,
//               then "AGENT-DONE-<name> <secret word>" once the tool result comes back
//   cross-tool  model "cross-tool" (cross.mjs): a short text and ONE call of the first tool offered,
//               then "The tool said: <result>."
// Both in the Chat Completions and Messages shapes here; the Responses shape of the agent scenario
// is upstream-responses.mjs's, from the same agentAnswer().
import { anthropicError, event, nextId, openAiChunk, openAiError, sendJson, startStream, writeEvents } from "./upstream-wire.mjs";

// ------------------------------------------------------------------------------ agent scenario

const MARKER = /\[agent-task name=([A-Za-z0-9_.-]+) file=([^\]\s]+)\]/;
const SECRET = /The secret word is ([A-Za-z0-9-]+)\./;

/** The text of a content value of any API: a string, or an array of blocks (text, input_text, tool results). */
export function textOf(content) {
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

/**
 * The tools a request offers, in one shape: [{name, schema}]. api: "openai" (Chat Completions,
 * nested under "function"), "anthropic" (input_schema) or "responses" (flat function tools; the
 * other kinds, hosted tools and namespaces, are left out).
 */
export function toolsOf(api, body) {
  if (!Array.isArray(body.tools)) return [];
  const shape = {
    openai: (t) => ({ name: t?.function?.name, schema: t?.function?.parameters }),
    anthropic: (t) => ({ name: t?.name, schema: t?.input_schema }),
    responses: (t) => (t?.type === "function" ? { name: t.name, schema: t.parameters } : {}),
  }[api];
  return body.tools.map(shape).filter((t) => typeof t.name === "string");
}

/** The input items of a Responses request: a string input is one user message. */
export function inputItemsOf(body) {
  if (typeof body.input === "string") return [{ type: "message", role: "user", content: body.input }];
  return Array.isArray(body.input) ? body.input.filter((i) => i !== null && typeof i === "object") : [];
}

/** The user text of a request: user messages (Chat, Messages) or user message items (Responses). */
function userTextOf(api, body) {
  const messages = api === "responses" ? inputItemsOf(body) : Array.isArray(body.messages) ? body.messages : [];
  return messages
    .filter((m) => m?.role === "user" && (m.type === undefined || m.type === "message"))
    .map((m) => textOf(m.content))
    .join("\n");
}

/**
 * The tool results a request carries, as text (OpenAI: role "tool" messages; Anthropic: tool_result
 * blocks; Responses: function_call_output items, whose output is a string or input_text parts).
 */
export function toolResultsOf(api, body) {
  if (api === "responses") {
    return inputItemsOf(body).filter((i) => i.type === "function_call_output").map((i) => textOf(i.output));
  }
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

/** What the fake answers an agent's request (api: "openai", "anthropic" or "responses"): {text} or {tool, input}. */
export function agentAnswer(api, body) {
  const task = MARKER.exec(userTextOf(api, body));
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

/**
 * What the real providers refuse with a 400 that a translation could produce, worded as they word
 * it: OpenAI's 64-character `user` (Claude Code's metadata.user_id is about 150) and its 4 stop
 * sequences; Anthropic's tool history without `tools` (a summary call after a tool loop) and its
 * stop sequences of white space only. Answered here and true, or false.
 */
function refusedAsTheProviderWould(res, body, api, headers) {
  if (api === "openai") {
    if (typeof body.user === "string" && body.user.length > 64) {
      openAiError(res, 400, `Invalid 'user': string too long. Expected a string with maximum length 64, but got a string with length ${body.user.length} instead.`, "invalid_request_error", "string_above_max_length", headers, "user");
      return true;
    }
    if (Array.isArray(body.stop) && body.stop.length > 4) {
      openAiError(res, 400, `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${body.stop.length} instead.`, "invalid_request_error", "array_above_max_length", headers, "stop");
      return true;
    }
    return false;
  }
  const blocks = (body.messages ?? []).flatMap((m) => (Array.isArray(m?.content) ? m.content : []));
  if (blocks.some((b) => b?.type === "tool_use" || b?.type === "tool_result") && !(body.tools?.length > 0)) {
    anthropicError(res, 400, "invalid_request_error", "Requests which include `tool_use` or `tool_result` blocks must define tools.", headers);
    return true;
  }
  if ((body.stop_sequences ?? []).some((s) => typeof s === "string" && s.trim() === "")) {
    anthropicError(res, 400, "invalid_request_error", "stop_sequences: each stop sequence must contain non-whitespace", headers);
    return true;
  }
  return false;
}

export async function agent(req, res, body, api, provider) {
  const model = typeof body.model === "string" ? body.model : "agent";
  const ids = nextId();
  const requestId = `req_up_${provider}_${ids}`;
  if (api === "anthropic" && req.headers["anthropic-version"] === undefined) {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required", { "request-id": requestId });
    return;
  }
  if (refusedAsTheProviderWould(res, body, api, { "request-id": requestId })) return;
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
export const CROSS_INPUT = { city: "Paris", days: 2 };

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
export async function crossTool(req, res, body, api, provider) {
  const model = body.model;
  const ids = nextId();
  const requestId = `req_up_${provider}_${ids}`;
  if (api === "anthropic" && req.headers["anthropic-version"] === undefined) {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required", { "request-id": requestId });
    return;
  }
  if (refusedAsTheProviderWould(res, body, api, { "request-id": requestId })) return;
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

