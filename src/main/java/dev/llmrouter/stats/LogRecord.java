package dev.llmrouter.stats;

import java.time.Instant;
import java.util.List;

/**
 * What the stats command needs of one request log line; the bodies are never kept.
 *
 * @param time when the request started (the line's {@code time})
 * @param durationMs the whole request, as the client waited for it
 * @param endpoint {@code openai} or {@code anthropic}
 * @param model what the client asked for, or null
 * @param provider the provider whose answer went to the client, or null (the router answered)
 * @param status the status the client got
 * @param completed for a relayed stream, whether its final event went out; null when the line has
 *     no {@code stream_result}
 * @param firstEventMs for a relayed stream, the answering attempt's time to its first event; NaN
 *     when the line has none
 * @param inputTokens from {@code usage}: {@code prompt_tokens} (OpenAI) or {@code input_tokens}
 *     (Anthropic); 0 without usage
 * @param outputTokens {@code completion_tokens} or {@code output_tokens}; 0 without usage
 * @param attempts the providers in the order the walk met them, skipped ones included
 */
record LogRecord(
    Instant time,
    double durationMs,
    String endpoint,
    String model,
    String provider,
    int status,
    Boolean completed,
    double firstEventMs,
    long inputTokens,
    long outputTokens,
    List<Attempt> attempts) {

  /**
   * One entry of {@code attempts}.
   *
   * @param provider its name
   * @param failureClass its {@code class} (rate_limited, timeout...), or null when it did not fail
   * @param called false for {@code "action": "skipped"}: the provider was not asked at all
   */
  record Attempt(String provider, String failureClass, boolean called) {}

  /**
   * A 2xx status and, for a relayed stream, its final event relayed: a stream that broke after a
   * 200 left the client with a cut answer, which is no success to it.
   */
  boolean success() {
    return status >= 200 && status < 300 && !Boolean.FALSE.equals(completed);
  }

  /**
   * Whether a provider other than the first one called answered. Skipped providers were never
   * called, so a request that skipped a cooling-down first provider and was answered by the next
   * one is no fallback; a request nobody answered is none either.
   */
  boolean fallback() {
    if (provider == null) {
      return false;
    }
    for (Attempt a : attempts) {
      if (a.called()) {
        return !provider.equals(a.provider());
      }
    }
    return false;
  }
}
