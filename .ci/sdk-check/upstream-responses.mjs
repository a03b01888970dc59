// The fake upstream's OpenAI Responses API (PROTOCOLS.md 6): POST <prefix>/v1/responses, JSON or
// event stream, and the routes of a stored response (GET and DELETE /responses/{id}, POST
// /responses/{id}/cancel, GET /responses/{id}/input_items). upstream.mjs routes to it.
//
// What a create request is answered, by provider and input:
//   /agent                 the agent scenario (upstream-agent.mjs's agentAnswer, "responses" shape):
//                          ONE call of the agent's shell or file tool, then "AGENT-DONE-..." text
//   any other provider     input carrying function_call_output items: "The tool said: <outputs>.";
//                          a request offering function tools: "Let me check." and ONE
//                          function_call of the first tool with {"city": "Paris", "days": 2};
//                          otherwise "Hello from <provider>." (each text in parts, one delta each)
//   model "rate..."        429 on the primary, as for chat (upstream-wire.mjs's rateLimited)
//   model "resp-break"     a stream that breaks after its first text delta: the socket is destroyed
//                          without response.completed (non-stream: a normal answer)
//
// Each provider keeps what it created (store not false), as OpenAI does: a previous_response_id, a
// GET, DELETE, cancel or input_items of an ID that this provider did not create is a 404 in
// OpenAI's words. So a router that sent a follow-up to another provider than the creator would be
// caught. background: true creates a "queued" response with no output that cancel can cancel.
//
// Streams follow PROTOCOLS.md 6.3: "event: <type>" lines, data repeating the type with
// sequence_number from 0, response.created and response.in_progress, then per output item
// output_item.added ... output_item.done, then response.completed carrying the whole response and
// its usage. Events are 40 ms apart (a relay must pass them one by one).
import { randomBytes } from "node:crypto";
import { CROSS_INPUT, agentAnswer, inputItemsOf, toolResultsOf, toolsOf } from "./upstream-agent.mjs";
import { breakOff, nextId, openAiError, rateLimit, rateLimited, sendJson, startStream, words, writeEvents } from "./upstream-wire.mjs";

const hex = (bytes) => randomBytes(bytes).toString("hex");
const USAGE = {
  input_tokens: 37,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 11,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 48,
};

/** What each provider created: response ID -> {provider, response, items (the input items, with IDs)}. */
const stored = new Map();

/** What a create request is answered: {parts (text, possibly none), call?: {name, arguments}}. */
function answerOf(body, provider) {
  if (provider === "agent") {
    const a = agentAnswer("responses", body);
    return a.tool ? { parts: [], call: { name: a.tool, arguments: JSON.stringify(a.input) } } : { parts: [a.text] };
  }
  const results = toolResultsOf("responses", body);
  if (results.length > 0) return { parts: ["The tool said", ": ", results.join(" | "), "."] };
  const tools = toolsOf("responses", body);
  if (tools.length > 0) return { parts: ["Let me", " check."], call: { name: tools[0].name, arguments: JSON.stringify(CROSS_INPUT) } };
  return { parts: words(provider) };
}

/** The Response object (PROTOCOLS.md 6.2), echoing the request's settings as OpenAI does. */
function responseObject(id, createdAt, body, status, output, usage) {
  return {
    id,
    object: "response",
    created_at: createdAt,
    status,
    background: body.background === true,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? "disabled",
    usage,
    user: null,
    metadata: body.metadata ?? {},
  };
}

/** The output items of an answer, completed: a message (when there is text), then a function_call. */
function outputOf(answer) {
  const output = [];
  if (answer.parts.length > 0) {
    output.push({
      id: `msg_${hex(24)}`,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", annotations: [], logprobs: [], text: answer.parts.join("") }],
    });
  }
  if (answer.call) {
    output.push({
      id: `fc_${hex(24)}`,
      type: "function_call",
      status: "completed",
      arguments: answer.call.arguments,
      call_id: `call_${hex(12)}`,
      name: answer.call.name,
    });
  }
  return output;
}

/** The events of a streamed answer, from the completed response and the text's parts. */
function streamEvents(response, parts) {
  let seq = 0;
  const ev = (type, payload) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...payload })}`;
  const open = { ...response, status: "in_progress", output: [], usage: null };
  const events = [ev("response.created", { response: open }), ev("response.in_progress", { response: open })];
  response.output.forEach((item, i) => {
    const at = { item_id: item.id, output_index: i };
    if (item.type === "message") {
      const text = item.content[0].text;
      const part = (t) => ({ type: "output_text", annotations: [], logprobs: [], text: t });
      events.push(ev("response.output_item.added", { output_index: i, item: { ...item, status: "in_progress", content: [] } }));
      events.push(ev("response.content_part.added", { ...at, content_index: 0, part: part("") }));
      for (const p of parts) events.push(ev("response.output_text.delta", { ...at, content_index: 0, delta: p, logprobs: [] }));
      events.push(ev("response.output_text.done", { ...at, content_index: 0, text, logprobs: [] }));
      events.push(ev("response.content_part.done", { ...at, content_index: 0, part: part(text) }));
    } else {
      const args = item.arguments;
      const half = Math.floor(args.length / 2);
      events.push(ev("response.output_item.added", { output_index: i, item: { ...item, status: "in_progress", arguments: "" } }));
      events.push(ev("response.function_call_arguments.delta", { ...at, delta: args.slice(0, half) }));
      events.push(ev("response.function_call_arguments.delta", { ...at, delta: args.slice(half) }));
      events.push(ev("response.function_call_arguments.done", { ...at, name: item.name, arguments: args }));
    }
    events.push(ev("response.output_item.done", { output_index: i, item }));
  });
  events.push(ev("response.completed", { response }));
  return events;
}

/** The input items as GET input_items lists them: each with an ID, messages with content parts. */
function storedItems(body) {
  return inputItemsOf(body).map((item) => {
    const type = item.type ?? "message";
    const withId = { id: item.id ?? `${type === "message" ? "msg" : "item"}_${hex(24)}`, ...item, type };
    if (type === "message" && typeof item.content === "string") {
      withId.content = [{ type: item.role === "assistant" ? "output_text" : "input_text", text: item.content }];
    }
    return { status: "completed", ...withId };
  });
}

const notFound = (res, id, headers) =>
  openAiError(res, 404, `Response with id '${id}' not found.`, "invalid_request_error", null, headers);

/** POST <prefix>/v1/responses. */
export async function responses(req, res, body, provider, key) {
  const headers = { "x-request-id": `req_up_${provider}_${nextId()}`, "openai-processing-ms": "3" };
  const model = typeof body.model === "string" ? body.model : "ok";
  if (rateLimited(model, provider)) {
    rateLimit(res, "openai", key, headers);
    return;
  }
  if (body.input === undefined && body.previous_response_id === undefined) {
    openAiError(res, 400, "Missing required parameter: 'input'.", "invalid_request_error", "missing_required_parameter", headers, "input");
    return;
  }
  const previous = body.previous_response_id;
  if (previous !== undefined && previous !== null && stored.get(previous)?.provider !== provider) {
    const message = `Previous response with id '${previous}' not found.`;
    openAiError(res, 404, message, "invalid_request_error", "previous_response_not_found", headers, "previous_response_id");
    return;
  }
  const id = `resp_${hex(24)}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const background = body.background === true;
  const answer = answerOf(body, provider);
  const response = background
    ? responseObject(id, createdAt, body, "queued", [], null)
    : responseObject(id, createdAt, body, "completed", outputOf(answer), USAGE);
  if (body.store !== false) stored.set(id, { provider, response, items: storedItems(body) });
  if (body.stream !== true || background) {
    sendJson(res, 200, response, headers);
    return;
  }
  startStream(res, headers);
  const events = streamEvents(response, answer.parts);
  if (model === "resp-break") {
    const firstDelta = events.findIndex((e) => e.startsWith("event: response.output_text.delta"));
    await writeEvents(res, events.slice(0, firstDelta + 1));
    await breakOff(res);
    return;
  }
  await writeEvents(res, events);
  res.end();
}

/** GET or DELETE <prefix>/v1/responses/{id}, POST .../{id}/cancel, GET .../{id}/input_items. */
export function responseById(res, action, id, provider, headers, query) {
  const entry = stored.get(id);
  if (entry?.provider !== provider) {
    notFound(res, id, headers);
    return;
  }
  switch (action) {
    case "GET":
      if (query.get("stream") === "true") {
        // responses.retrieve(id, { stream: true }): the response's events again, from the
        // first after starting_after (how the SDKs resume a background response).
        const after = Number(query.get("starting_after") ?? -1);
        const text = entry.response.output.find((i) => i.type === "message")?.content[0].text ?? "";
        const events = streamEvents(entry.response, [text]).filter((_, n) => n > after);
        startStream(res, headers);
        writeEvents(res, events).then(() => res.end());
        return;
      }
      sendJson(res, 200, entry.response, headers);
      return;
    case "DELETE":
      stored.delete(id);
      sendJson(res, 200, { id, object: "response", deleted: true }, headers);
      return;
    case "cancel":
      if (!entry.response.background) {
        openAiError(res, 400, "Only responses created with background=true can be cancelled.", "invalid_request_error", null, headers);
        return;
      }
      entry.response = { ...entry.response, status: "cancelled" };
      sendJson(res, 200, entry.response, headers);
      return;
    case "input_items": {
      const ordered = query.get("order") === "asc" ? entry.items : [...entry.items].reverse(); // OpenAI's default: desc
      const limit = Number(query.get("limit") ?? 20);
      const data = ordered.slice(0, limit);
      sendJson(res, 200, {
        object: "list",
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: ordered.length > data.length,
      }, headers);
      return;
    }
    default:
      openAiError(res, 405, `${action} is not supported here`, "invalid_request_error", null, headers);
  }
}
