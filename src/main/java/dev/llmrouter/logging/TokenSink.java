package dev.llmrouter.logging;

/**
 * Where the request log reports the tokens of each answer, once its writer thread has read the
 * answer's {@code usage} for the line anyway: counting them costs the request thread nothing and no
 * body is parsed twice.
 */
@FunctionalInterface
public interface TokenSink {

  /** Counts nothing. */
  TokenSink NONE = (endpoint, provider, input, output) -> {};

  /**
   * Counts the tokens of one answer.
   *
   * @param endpoint {@code openai} or {@code anthropic}
   * @param provider the configured name of the provider that answered
   * @param input input tokens, cached ones included ({@link UsageTokens#input})
   * @param output output tokens ({@link UsageTokens#output})
   */
  void tokens(String endpoint, String provider, long input, long output);
}
