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
    long prompt = count(usage, "prompt_tokens");
    if (prompt >= 0) {
      return prompt;
    }
    // Saturating: absurd counts from an upstream must not wrap a counter below zero.
    long sum = Math.max(0, count(usage, "input_tokens"));
    for (String field : new String[] {"cache_creation_input_tokens", "cache_read_input_tokens"}) {
      long more = Math.max(0, count(usage, field));
      sum = sum > Long.MAX_VALUE - more ? Long.MAX_VALUE : sum + more;
    }
    return sum;
  }

  /** Output tokens: OpenAI's {@code completion_tokens}, else {@code output_tokens}. */
  public static long output(JsonNode usage) {
    long completion = count(usage, "completion_tokens");
    return completion >= 0 ? completion : Math.max(0, count(usage, "output_tokens"));
  }

  /**
   * A count: a whole number, also written as one with a fraction of zero ({@code 11.0}, which some
   * compatible servers send), a negative or absurd one as 0; -1 when the field is no number
   * (absent, {@code null}, text: the other API's name is read then).
   */
  private static long count(JsonNode usage, String field) {
    JsonNode n = usage.get(field);
    if (n == null || !n.isNumber()) {
      return -1;
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? Math.max(0, n.asLong()) : 0;
    }
    return wholeCount(n.asDouble());
  }

  /** {@code 11.0} as 11; a fraction, a negative number or one past a long as 0. */
  public static long wholeCount(double d) {
    return d >= 0 && d < 0x1p63 && d == Math.rint(d) ? (long) d : 0;
  }
}
