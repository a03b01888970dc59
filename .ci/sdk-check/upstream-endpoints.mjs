// The fake upstream's other endpoints (PROTOCOLS.md 7), routed to by upstream.mjs:
//   POST <prefix>/v1/embeddings              OpenAI embeddings: float arrays, or with
//                                            encoding_format "base64" the base64 of the float32
//                                            little-endian bytes (what both OpenAI SDKs ask by
//                                            default, decoding the bytes themselves)
//   POST <prefix>/v1/completions             OpenAI legacy completions, JSON or data: stream
//   POST <prefix>/v1/messages/count_tokens   Anthropic token count: {"input_tokens": N}
// Model "rate..." is a 429 on the primary, as for chat (upstream-wire.mjs's rateLimited).
import { textOf } from "./upstream-agent.mjs";
import {
  anthropicError,
  nextId,
  openAiError,
  rateLimit,
  rateLimited,
  sendJson,
  startStream,
  words,
  writeEvents,
} from "./upstream-wire.mjs";

const modelOf = (body) => (typeof body.model === "string" ? body.model : "ok");

// -------------------------------------------------------------------------------- embeddings

/** Input i's embedding: dyadic fractions, exact in float32, so a decoded base64 vector compares equal. */
export const EMBEDDING_BASE = [0.5, -0.25, 0.125, 0.0625, -1, 2, 0.75, -0.375];
const embeddingOf = (index, dimensions) => EMBEDDING_BASE.slice(0, dimensions).map((v) => v + index);

/** The float32 little-endian bytes of a vector, base64 (as OpenAI sends encoding_format "base64"). */
function base64Of(vector) {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString("base64");
}

/** The inputs of an embeddings request: a string, strings, a token array, or token arrays. */
function inputsOf(input) {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input) || input.length === 0) return null;
  return typeof input[0] === "number" ? [input] : input;
}

export async function embeddings(req, res, body, provider, key) {
  const headers = { "x-request-id": `req_up_${provider}_${nextId()}`, "openai-processing-ms": "2" };
  const model = modelOf(body);
  if (rateLimited(model, provider)) {
    rateLimit(res, "openai", key, headers);
    return;
  }
  const inputs = inputsOf(body.input);
  if (inputs === null) {
    openAiError(res, 400, "'input' : input must be a string or an array of strings", "invalid_request_error", null, headers, "input");
    return;
  }
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    const message = `Invalid value: '${format}'. Supported values are: 'float' and 'base64'.`;
    openAiError(res, 400, message, "invalid_request_error", "invalid_value", headers, "encoding_format");
    return;
  }
  const dimensions = Number.isInteger(body.dimensions) ? body.dimensions : EMBEDDING_BASE.length;
  const data = inputs.map((_, index) => {
    const vector = embeddingOf(index, dimensions);
    return { object: "embedding", index, embedding: format === "base64" ? base64Of(vector) : vector };
  });
  const tokens = 2 * inputs.length;
  sendJson(res, 200, { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }, headers);
}

// ------------------------------------------------------------------------ legacy completions

export async function completions(req, res, body, provider, key) {
  const ids = nextId();
  const headers = { "x-request-id": `req_up_${provider}_${ids}`, "openai-processing-ms": "3" };
  const model = modelOf(body);
  if (rateLimited(model, provider)) {
    rateLimit(res, "openai", key, headers);
    return;
  }
  if (body.prompt === undefined) {
    openAiError(res, 400, "Missing required parameter: 'prompt'.", "invalid_request_error", "missing_required_parameter", headers, "prompt");
    return;
  }
  const id = `cmpl-${provider}-${ids}`;
  const created = Math.floor(Date.now() / 1000);
  const parts = words(provider);
  const usage = { prompt_tokens: 5, completion_tokens: parts.length, total_tokens: 5 + parts.length };
  const chunk = (text, finish, extra = {}) => ({
    id,
    object: "text_completion",
    created,
    model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
    system_fingerprint: null,
    ...extra,
  });
  if (body.stream !== true) {
    sendJson(res, 200, { ...chunk(parts.join(""), "stop"), usage }, headers);
    return;
  }
  startStream(res, headers);
  const data = (o) => "data: " + JSON.stringify(o);
  const withUsage = body.stream_options?.include_usage === true;
  const usageNull = withUsage ? { usage: null } : {};
  const events = parts.map((p) => data(chunk(p, null, usageNull)));
  events.push(data(chunk("", "stop", usageNull)));
  if (withUsage) events.push(data({ ...chunk("", null), choices: [], usage }));
  events.push("data: [DONE]");
  await writeEvents(res, events);
  res.end();
}

// ------------------------------------------------------------------------------ count_tokens

/**
 * The fake's count: 3 + the words of the system text and of every message's text + 20 per tool.
 * Not a tokenizer; a number the check can work out by hand from what it sent.
 */
function countOf(body) {
  const texts = [textOf(body.system ?? ""), ...body.messages.map((m) => textOf(m?.content))];
  const wordCount = texts.join(" ").split(/\s+/).filter((w) => w.length > 0).length;
  return 3 + wordCount + 20 * (Array.isArray(body.tools) ? body.tools.length : 0);
}

export async function countTokens(req, res, body, provider, key) {
  const headers = { "request-id": `req_up_${provider}_${nextId()}` };
  if (req.headers["anthropic-version"] === undefined) {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required", headers);
    return;
  }
  if (rateLimited(modelOf(body), provider)) {
    rateLimit(res, "anthropic", key, headers);
    return;
  }
  // The endpoint takes the Messages body without max_tokens or stream (PROTOCOLS.md 7.3).
  const extra = ["max_tokens", "stream"].find((f) => Object.hasOwn(body, f));
  if (extra) {
    anthropicError(res, 400, "invalid_request_error", `${extra}: Extra inputs are not permitted`, headers);
    return;
  }
  if (typeof body.model !== "string" || !Array.isArray(body.messages)) {
    anthropicError(res, 400, "invalid_request_error", "model and messages: Field required", headers);
    return;
  }
  sendJson(res, 200, { input_tokens: countOf(body) }, headers);
}
