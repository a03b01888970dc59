package dev.llmrouter.routing;

import dev.llmrouter.logging.ConsoleText;
import dev.llmrouter.routing.FailureClassifier.Classification;
import dev.llmrouter.routing.FailureClassifier.Verdict;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.Response;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What an attempt's outcome tells its provider's {@link ProviderHealth}, by the classifier's
 * verdict, and the one console line each change of state gets. The walk and the exchanges made
 * outside it (stored Responses API responses) report here, so that both count alike.
 */
final class HealthReports {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  private HealthReports() {}

  /**
   * Tells the provider's health what an attempt said, unless the request's deadline cut it (which
   * says nothing of the provider) or the walk reports nothing (a model list). A stream's verdict
   * waits for its end: returned, to go with the answer; a probe's success closes the breaker now
   * all the same.
   */
  static StreamVerdict afterAttempt(
      Target target,
      ProviderHealth health,
      Walk walk,
      UpstreamOutcome outcome,
      Classification c,
      boolean cutByDeadline,
      UnaryOperator<String> redact) {
    if (!walk.reportsHealth || cutByDeadline) {
      release(walk, health); // a half-open probe it took goes back unused
      return null;
    }
    StreamVerdict streamVerdict =
        outcome instanceof Streaming s
            ? new StreamVerdict(
                target, health, walk.holdsProbe, walk.limitKey(target), s.headers(), redact)
            : null;
    if (streamVerdict == null || walk.holdsProbe) {
      report(target, health, outcome, c, walk, redact);
    }
    return streamVerdict;
  }

  /**
   * Tells the provider's health what this attempt showed; caller errors count for nothing.
   *
   * @param redact for the model in a console line: a provider that serves any model is sent the
   *     client's own string, which may hold anything (a key, a line break, an ANSI escape)
   */
  static void report(
      Target target,
      ProviderHealth health,
      UpstreamOutcome outcome,
      Classification c,
      Walk walk,
      UnaryOperator<String> redact) {
    switch (c.verdict()) {
      case SUCCESS -> succeeded(target, health);
      case RETRY, TIMED_OUT -> transientFailure(target, health, outcome, c, walk.holdsProbe);
      case RATE_LIMITED -> {
        coolDown(
            target,
            health,
            walk.limitKey(target),
            c.retryAfter(),
            ((Response) outcome).status() + ", " + c.failureClass().logName(),
            redact);
        release(walk, health); // no verdict on the breaker: another may probe once it is over
      }
      case MODEL_NOT_SERVED -> {
        if (!walk.routeMayBeMissing) {
          health.modelNotServed(walk.limitKey(target));
        }
        release(walk, health);
      }
      case KEY_REJECTED -> {
        boolean fresh = health.keyRejected(c.failureClass());
        release(walk, health);
        if (!fresh) {
          break; // said when it started
        }
        CONSOLE.log(
            System.Logger.Level.WARNING,
            "provider "
                + target.provider().name()
                + " answered "
                + ((Response) outcome).status()
                + ": its key is "
                + (c.failureClass() == FailureClass.OUT_OF_CREDIT ? "out of credit" : "rejected")
                + "; skipped for "
                + ProviderHealth.AUTH_COOLDOWN.toMinutes()
                + " min");
      }
      // A redirect, a too-long prompt, a filtered one, or the caller's own error: no verdict.
      case NEXT, CALLER_ERROR, NEXT_OTHER_MODEL, NEXT_OTHER_HOST, NOT_HELD -> release(walk, health);
    }
  }

  static void succeeded(Target target, ProviderHealth health) {
    if (health.succeeded()) {
      say(System.Logger.Level.INFO, target, "breaker closed: it answered again");
    }
  }

  private static void transientFailure(
      Target target,
      ProviderHealth health,
      UpstreamOutcome outcome,
      Classification c,
      boolean probe) {
    transientFailure(target, health, errorClass(outcome, c), probe);
  }

  /**
   * A transient failure of {@code errorClass} (as /health shows it); also a committed stream that
   * broke ({@link StreamVerdict}), which never holds a probe.
   */
  static void transientFailure(
      Target target, ProviderHealth health, String errorClass, boolean probe) {
    Duration open = health.failed(errorClass, probe);
    if (open != null) {
      say(
          System.Logger.Level.WARNING,
          target,
          "breaker open after " + errorClass + "; skipped for " + open.toSeconds() + " s");
    }
  }

  /**
   * A rate limit: the provider, or its model ({@code limitKey}), cools down for what it asked
   * ({@code retryAfter}, null for the default), said once on the console with {@code why}.
   */
  static void coolDown(
      Target target,
      ProviderHealth health,
      String limitKey,
      Duration retryAfter,
      String why,
      UnaryOperator<String> redact) {
    Duration cooling = health.rateLimited(limitKey, retryAfter);
    if (cooling != null) {
      say(
          System.Logger.Level.WARNING,
          target,
          (limitKey == null ? "" : "model " + ConsoleText.clean(redact.apply(limitKey)) + " ")
              + "cooling down for "
              + Math.max(1, cooling.toMillis() / 1000)
              + " s ("
              + why
              + ")");
    }
  }

  /** One console line about a provider's state changing: once per change, never per request. */
  private static void say(System.Logger.Level level, Target target, String what) {
    CONSOLE.log(level, "provider " + target.provider().name() + ": " + what);
  }

  /** Ends this request's probe without a verdict, if it holds one. */
  static void release(Walk walk, ProviderHealth health) {
    if (walk.holdsProbe) {
      health.released();
    }
  }

  /** What a transient failure was, as /health shows it. */
  private static String errorClass(UpstreamOutcome outcome, Classification c) {
    if (c.failureClass() == FailureClass.INVALID_BODY) {
      return "invalid_body";
    }
    return switch (outcome) {
      case Failed f -> f.type().name().toLowerCase(Locale.ROOT);
      case Response r -> "http_" + r.status();
    };
  }

  /**
   * A transport failure of an exchange made outside a walk (a stored Responses API response asked
   * about by its id): a connect failure, timeout or reset counts against the provider as in a walk
   * (such an exchange never holds a probe); what is not the provider's doing (the router's memory
   * budget, an interrupt) does not.
   *
   * @return its class, for the attempt's record
   */
  static FailureClass failedOutsideWalk(Target target, ProviderHealth health, Failed failure) {
    Classification c = FailureClassifier.classify(failure);
    boolean providers =
        (c.verdict() == Verdict.RETRY || c.verdict() == Verdict.TIMED_OUT)
            && !Thread.currentThread().isInterrupted();
    if (providers) {
      transientFailure(target, health, failure, c, false);
    }
    return c.failureClass();
  }
}
