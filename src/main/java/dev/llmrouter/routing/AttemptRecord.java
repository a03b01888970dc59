package dev.llmrouter.routing;

import java.util.List;

/**
 * One attempt against one provider, as the log and the final error message tell it.
 *
 * @param provider provider name (never its key)
 * @param model the upstream model ID sent, or null when the request named none
 * @param status upstream HTTP status, or 0 when no response arrived
 * @param error failure class ({@code connect}, {@code timeout}, {@code broken}, {@code
 *     invalid_body}) or null
 * @param detail a short human description, free of secrets
 * @param durationMicros time spent in this attempt
 * @param action what the router did next: success, returned, retry, fallback, or skipped (the
 *     provider was cooling down or its breaker open, so it was not called)
 */
public record AttemptRecord(
    String provider,
    String model,
    int status,
    String error,
    String detail,
    long durationMicros,
    String action) {

  /** How many providers were really called: skipped ones (cooling down, open) do not count. */
  public static int countTried(List<AttemptRecord> attempts) {
    int n = 0;
    for (AttemptRecord a : attempts) {
      if (!a.action().equals("skipped")) {
        n++;
      }
    }
    return n;
  }

  /** For messages: {@code openai-1: 429} or {@code openai-2: connection refused}. */
  String summary() {
    if (status > 0) {
      return error == null ? provider + ": " + status : provider + ": " + status + " " + detail;
    }
    return provider + ": " + detail;
  }
}
