package dev.llmrouter.logging;

import tools.jackson.databind.JsonNode;

/** The input and output token counts of a {@code usage} object, in each API's own names. */
public final class UsageTokens {

  private UsageTokens() {}

  /**
   * Input tokens: OpenAI's {@code prompt_tokens} (Chat Completions, completions, embeddings), else
   * {@code input_tokens} (Anthropic Messages, the Responses API). Anthropic counts prompt-cache
   * writes and reads apart ({@code cache_creation_input_tokens}, {@code cache_read_input_tokens});
   * they are added, as OpenAI's counts already include cached tokens.
   */
  public static long input(JsonNode usage) {
    if (usage.has("prompt_tokens")) {
      return count(usage, "prompt_tokens");
    }
    // Saturating: absurd counts from an upstream must not wrap a counter below zero.
    long sum = count(usage, "input_tokens");
    for (String field : new String[] {"cache_creation_input_tokens", "cache_read_input_tokens"}) {
      long more = count(usage, field);
      sum = sum > Long.MAX_VALUE - more ? Long.MAX_VALUE : sum + more;
    }
    return sum;
  }

  /** Output tokens: OpenAI's {@code completion_tokens}, else {@code output_tokens}. */
  public static long output(JsonNode usage) {
    return usage.has("completion_tokens")
        ? count(usage, "completion_tokens")
        : count(usage, "output_tokens");
  }

  /** A non-negative integer field; anything else (absent, null, text, negative) counts 0. */
  private static long count(JsonNode usage, String field) {
    JsonNode n = usage.get(field);
    return n != null && n.canConvertToLong() && n.isIntegralNumber() ? Math.max(0, n.asLong()) : 0;
  }
}
