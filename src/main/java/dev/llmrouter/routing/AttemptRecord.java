package dev.llmrouter.routing;

import java.util.List;
import java.util.Locale;

/**
 * One provider of one request, as the log, the metrics and the router's own error messages tell it:
 * called (with its outcome) or skipped (with the reason).
 *
 * @param provider provider name (never its key)
 * @param model the upstream model ID sent, or null when the request named none
 * @param status upstream HTTP status, or 0 when no response arrived (or none was asked for)
 * @param failureClass why it failed; null for a success, a caller error returned, or a skip
 * @param detail the upstream's own message (at most 300 characters) or the transport failure; null
 *     when there is none. Redacted where it is shown.
 * @param upstreamRequestId the provider's {@code x-request-id} or {@code request-id}, or null
 * @param retryAfterMillis the wait a 429 asked for, or 0 when none was said
 * @param durationMicros time spent in this attempt
 * @param waitedMicros time waited for this provider to come back before calling it (0: none)
 * @param action what the router did next
 * @param skipReason why it was not called, for {@link Action#SKIPPED}; else null
 */
public record AttemptRecord(
    String provider,
    String model,
    int status,
    FailureClass failureClass,
    String detail,
    String upstreamRequestId,
    long retryAfterMillis,
    long durationMicros,
    long waitedMicros,
    Action action,
    SkipReason skipReason) {

  /** What followed an attempt. */
  public enum Action {
    /** Its answer went to the client. */
    SUCCESS,
    /** Its answer, a caller error (or the last word on a too-long prompt), went to the client. */
    RETURNED,
    /** The same provider was tried again. */
    RETRY,
    /** The walk moved on to the next provider. */
    FALLBACK,
    /** Not called: cooling down, breaker open, model not served or key rejected. */
    SKIPPED,
    /**
     * Called, and cut before its answer came: the client left or the router shut down. The provider
     * may have run (and billed) the request: the log says so.
     */
    CANCELLED;

    public String logName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static AttemptRecord skipped(Target target, SkipReason why) {
    return new AttemptRecord(
        target.provider().name(),
        target.model(),
        0,
        null,
        null,
        null,
        0,
        0,
        0,
        Action.SKIPPED,
        why);
  }

  /**
   * A provider of the other API that cannot take the request ({@link Target#notTranslatable()}):
   * skipped, with what it cannot take as the detail.
   */
  public static AttemptRecord untranslatable(Target target) {
    return new AttemptRecord(
        target.provider().name(),
        target.model(),
        0,
        null,
        "cannot be translated: " + target.notTranslatable(),
        null,
        0,
        0,
        0,
        Action.SKIPPED,
        SkipReason.NOT_TRANSLATABLE);
  }

  /** A copy that says how long the walk waited for this provider first. */
  AttemptRecord withWaited(long micros) {
    return new AttemptRecord(
        provider,
        model,
        status,
        failureClass,
        detail,
        upstreamRequestId,
        retryAfterMillis,
        durationMicros,
        micros,
        action,
        skipReason);
  }

  /** A copy with another action: a deferred answer that became the one returned. */
  AttemptRecord withAction(Action newAction) {
    return new AttemptRecord(
        provider,
        model,
        status,
        failureClass,
        detail,
        upstreamRequestId,
        retryAfterMillis,
        durationMicros,
        waitedMicros,
        newAction,
        skipReason);
  }

  /** How many providers were really called: skipped ones do not count. */
  public static int countTried(List<AttemptRecord> attempts) {
    int n = 0;
    for (AttemptRecord a : attempts) {
      if (a.action != Action.SKIPPED) {
        n++;
      }
    }
    return n;
  }

  /** Whether this attempt failed (skips are not failures: nothing was asked). */
  public boolean failed() {
    return action == Action.RETRY || action == Action.FALLBACK;
  }

  /** {@code a 429 rate limited: "slow down" (Retry-After 20 s); b connection failed (refused)}. */
  public static String summary(List<AttemptRecord> attempts) {
    if (attempts.isEmpty()) {
      return "no provider was tried";
    }
    java.util.StringJoiner all = new java.util.StringJoiner("; ");
    for (AttemptRecord a : attempts) {
      all.add(a.summary());
    }
    return all.toString();
  }

  /**
   * For messages: {@code openai-1 429 rate limited: "Rate limit reached"}, {@code openai-2
   * connection failed (connection refused)}, {@code openai-3 skipped (cooling_down)}.
   */
  String summary() {
    if (action == Action.SKIPPED) {
      return provider + " skipped (" + skipReason.logName() + ")";
    }
    StringBuilder sb = new StringBuilder(provider);
    if (status > 0) {
      sb.append(' ').append(status);
    }
    if (failureClass != null) {
      sb.append(' ').append(failureClass.words());
    }
    if (detail != null) {
      sb.append(status > 0 ? ": \"" + detail + "\"" : " (" + detail + ")");
    }
    if (retryAfterMillis > 0) {
      // What the router waits and tells the client (at most 10 min), not a day's absurd ask.
      long honoured = Math.min(retryAfterMillis, ProviderHealth.MAX_COOLDOWN.toMillis());
      sb.append(" (Retry-After ").append((honoured + 999) / 1000).append(" s)");
    }
    return sb.toString();
  }
}
