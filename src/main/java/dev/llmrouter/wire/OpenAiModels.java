package dev.llmrouter.wire;

import dev.llmrouter.wire.Translator.NotTranslatable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an OpenAI model accepts of a translated Messages request's output limit, sampling and stop
 * sequences (PROTOCOLS.md 5.1): the reasoning models ({@code o1*}, {@code o3*}, {@code o4*}, the
 * {@code gpt-5} family) take less than the chat models and compatible servers.
 */
final class OpenAiModels {

  private OpenAiModels() {}

  /**
   * {@code max_tokens} (see {@link Translator#outputLimit}), {@code temperature}, {@code top_p} and
   * {@code stop_sequences} of a Messages request, into the Chat Completions request {@code out} for
   * {@code model}.
   */
  static void limitsAndSampling(
      JsonNode messagesRequest, String model, int maxTokens, ObjectNode out)
      throws NotTranslatable {
    boolean reasoning = isReasoningModel(model);
    JsonNode max = messagesRequest.get("max_tokens");
    // Reasoning models answer 400 unsupported_parameter to max_tokens and take only
    // max_completion_tokens; many compatible servers (older vLLM, Ollama) know only max_tokens and
    // would ignore the new name, so it is sent only where it is required.
    out.put(
        reasoning ? "max_completion_tokens" : "max_tokens",
        Translator.outputLimit(
            max != null && max.canConvertToLong() ? (Long) max.asLong() : null, maxTokens, true));
    for (String name : new String[] {"temperature", "top_p"}) {
      JsonNode value = messagesRequest.get(name);
      // Reasoning models take only the default sampling (400 unsupported_value "Only the default
      // (1) value is supported"): a hint they cannot follow is left out, not failed on.
      if (value != null && value.isNumber() && (!reasoning || value.asDouble() == 1.0)) {
        out.set(name, value);
      }
    }
    JsonNode stops = messagesRequest.get("stop_sequences");
    if (stops != null && stops.isArray() && !stops.isEmpty()) {
      if (stops.size() > 4) {
        // Chat Completions takes at most 4 (400 otherwise): dropping some would change the answer.
        throw new NotTranslatable("stop_sequences", "OpenAI takes at most 4 stop sequences");
      }
      if (startsWith(model, "o3") || startsWith(model, "o4")) {
        // o3 and o4-mini refuse stop; without it the answer would run on past the stop.
        throw new NotTranslatable(
            "stop_sequences", "OpenAI's " + model + " takes no stop sequences");
      }
      out.set("stop", stops);
    }
  }

  /** OpenAI's reasoning models: o1, o3, o4-mini, the gpt-5 family. */
  static boolean isReasoningModel(String model) {
    return startsWith(model, "o1")
        || startsWith(model, "o3")
        || startsWith(model, "o4")
        || startsWith(model, "gpt-5");
  }

  private static boolean startsWith(String model, String prefix) {
    return model.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
