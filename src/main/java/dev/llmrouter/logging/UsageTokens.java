package dev.llmrouter.logging;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.JsonNode;

/** The input and output token counts of a {@code usage} object, in each API's own names. */
public final class UsageTokens {

  /** A usage object's two counts. */
  public record Counts(long input, long output) {}

  private UsageTokens() {}

  /**
   * The counts of a usage object already read as a tree (a stream's assembled usage, a wide
   * answer's): walked by the same reader as bytes, so that the rule has one home.
   */
  public static Counts counts(JsonNode usage) {
    try (JsonParser p = usage.traverse(ObjectReadContext.empty())) {
      return p.nextToken() == JsonToken.START_OBJECT ? read(p) : new Counts(0, 0);
    }
  }

  /**
   * The counts read by a parser standing on a usage object's start, which it leaves on the object's
   * end: the log writer counts as it passes over an answer, and {@code stats} as it reads a line.
   *
   * <p>Input tokens: OpenAI's {@code prompt_tokens} (Chat Completions, completions, embeddings),
   * else {@code input_tokens} (Anthropic Messages, the Responses API). Anthropic counts
   * prompt-cache writes and reads apart ({@code cache_creation_input_tokens}, {@code
   * cache_read_input_tokens}); they are added, as OpenAI's counts already include cached tokens.
   * Output tokens: OpenAI's {@code completion_tokens}, else {@code output_tokens}.
   *
   * @throws JacksonException when what follows is no JSON
   */
  public static Counts read(JsonParser p) {
    long prompt = -1;
    long input = -1;
    long cacheWrites = -1;
    long cacheReads = -1;
    long completion = -1;
    long output = -1;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      long n = count(p, p.nextToken());
      switch (name) { // a name repeated: the last one counts, as in a tree
        case "prompt_tokens" -> prompt = n;
        case "input_tokens" -> input = n;
        case "cache_creation_input_tokens" -> cacheWrites = n;
        case "cache_read_input_tokens" -> cacheReads = n;
        case "completion_tokens" -> completion = n;
        case "output_tokens" -> output = n;
        default -> {
          // not a count of ours
        }
      }
    }
    return new Counts(input(prompt, input, cacheWrites, cacheReads), output(completion, output));
  }

  private static long input(long prompt, long input, long cacheWrites, long cacheReads) {
    if (prompt >= 0) {
      return prompt;
    }
    return plus(plus(Math.max(0, input), Math.max(0, cacheWrites)), Math.max(0, cacheReads));
  }

  /**
   * Two counts (never negative) added, saturating: absurd counts from an upstream must not wrap a
   * counter or a total below zero.
   */
  public static long plus(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  private static long output(long completion, long output) {
    return completion >= 0 ? completion : Math.max(0, output);
  }

  /**
   * A count: a whole number, also written as one with a fraction of zero ({@code 11.0}, which some
   * compatible servers send), a negative or absurd one as 0; -1 when the value is no number
   * (absent, {@code null}, text: the other API's name is read then); any other value is stepped
   * over.
   */
  private static long count(JsonParser p, JsonToken value) {
    return switch (value) {
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? 0
              : Math.max(0, p.getLongValue());
      case VALUE_NUMBER_FLOAT -> wholeCount(p.getDoubleValue());
      default -> {
        p.skipChildren();
        yield -1;
      }
    };
  }

  /** {@code 11.0} as 11; a fraction, a negative number or one past a long as 0. */
  private static long wholeCount(double d) {
    return d >= 0 && d < 0x1p63 && d == Math.rint(d) ? (long) d : 0;
  }
}
