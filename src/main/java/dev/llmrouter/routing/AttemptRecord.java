package dev.llmrouter.routing;

/**
 * One attempt against one provider, as the log and the final error message tell it.
 *
 * @param provider provider name (never its key)
 * @param status upstream HTTP status, or 0 when no response arrived
 * @param error failure class ({@code connect}, {@code timeout}, {@code broken}, {@code
 *     invalid_body}) or null
 * @param detail a short human description, free of secrets
 * @param durationMicros time spent in this attempt
 * @param action what the router did next: success, returned, retry, fallback, gave_up
 */
public record AttemptRecord(
    String provider, int status, String error, String detail, long durationMicros, String action) {

  /** For messages: {@code openai-1: 429} or {@code openai-2: connection refused}. */
  String summary() {
    if (status > 0) {
      return error == null ? provider + ": " + status : provider + ": " + status + " " + detail;
    }
    return provider + ": " + detail;
  }
}
