package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.routing.FailureClassifier.Verdict;
import dev.llmrouter.routing.RoutingResult.Answered;
import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.upstream.ErrorKind;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.upstream.UpstreamOutcome.Response;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Walks the providers of one request in priority order, applying {@link FailureClassifier}'s
 * verdicts: retries with backoff on the same provider, moves to the next, or stops. Everything here
 * happens before the client has received a byte; the caller commits only on {@link Answered}.
 */
public final class FallbackExecutor {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  /** Used when a rate-limited provider gave no hint of its own. */
  static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);

  /** One attempt against one provider with its model ID, bounded by {@code timeout}. */
  @FunctionalInterface
  public interface Attempt {
    UpstreamOutcome run(Target target, Duration timeout);
  }

  private final ProviderRegistry registry;
  private final ProviderOrder order = new ProviderOrder();

  public FallbackExecutor(ProviderRegistry registry) {
    this.registry = registry;
  }

  /**
   * Tries the targets in the given (priority) order until one answers or all have failed. Targets
   * cooling down (the provider, or its model) or with an open breaker are skipped; if that leaves
   * none, the one that becomes available soonest is waited for and tried, unless the wait would
   * pass the deadline.
   *
   * @param deadlineNanos {@link System#nanoTime()} value past which no attempt or backoff starts
   */
  public RoutingResult execute(List<Target> targets, long deadlineNanos, Attempt attempt) {
    List<AttemptRecord> log = new ArrayList<>(targets.size() + 1);
    if (targets.isEmpty()) {
      return new Exhausted(
          ErrorKind.UNAVAILABLE, "no providers are configured for this endpoint", null, log);
    }
    Walk walk = new Walk();
    Target soonest = null;
    long soonestWait = Long.MAX_VALUE;
    for (Target target : order.arrange(targets)) {
      long wait = registry.of(target.provider()).waitNanos(target.model());
      if (wait > 0) {
        log.add(skipped(target));
        walk.skipped(wait);
        if (wait < soonestWait) {
          soonest = target;
          soonestWait = wait;
        }
        continue;
      }
      RoutingResult answered = tryProvider(target, deadlineNanos, attempt, walk, log);
      if (answered != null) {
        return answered;
      }
      if (walk.deadlinePassed || walk.interrupted) {
        return walk.exhausted(log);
      }
    }
    if (walk.attempted || soonest == null) {
      return walk.exhausted(log);
    }
    // Every provider is cooling down or open: rather than fail without a call, wait for the one
    // that comes back first, if the request can wait that long. No provider is called twice.
    if (System.nanoTime() + soonestWait >= deadlineNanos) {
      return walk.unavailable(log, soonestWait);
    }
    if (!pause(Duration.ofNanos(soonestWait))) {
      return walk.exhausted(log);
    }
    RoutingResult answered = tryProvider(soonest, deadlineNanos, attempt, walk, log);
    return answered != null ? answered : walk.exhausted(log);
  }

  /** The attempts on one provider: an answer, or null to move on. */
  private RoutingResult tryProvider(
      Target target, long deadlineNanos, Attempt attempt, Walk walk, List<AttemptRecord> log) {
    ProviderConfig provider = target.provider();
    ProviderHealth health = registry.of(provider);
    for (int retry = 0; ; retry++) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        walk.deadlinePassed = true;
        health.released();
        return null;
      }
      Duration timeout = min(provider.timeout(), Duration.ofNanos(remaining));
      long start = System.nanoTime();
      UpstreamOutcome outcome;
      try {
        outcome = attempt.run(target, timeout);
      } catch (RuntimeException e) {
        // A bug must not leave the provider's half-open probe taken forever.
        health.released();
        throw e;
      }
      if (Thread.currentThread().isInterrupted()) {
        // Shutdown past its grace period: no further attempt; the caller answers.
        health.released();
        walk.interrupted = true;
        return null;
      }
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      Verdict verdict = FailureClassifier.classify(outcome);
      walk.note(outcome, verdict);
      report(target, health, outcome, verdict);
      switch (verdict) {
        case SUCCESS, CALLER_ERROR -> {
          String action = verdict == Verdict.SUCCESS ? "success" : "returned";
          log.add(record(target, outcome, verdict, micros, action));
          return new Answered(target, (Response) outcome, log);
        }
        case RATE_LIMITED, NEXT, KEY_REJECTED -> {
          log.add(record(target, outcome, verdict, micros, "fallback"));
          return null;
        }
        case RETRY -> {
          if (retry >= provider.maxRetries()) {
            log.add(record(target, outcome, verdict, micros, "fallback"));
            return null;
          }
          Duration backoff = Backoff.delay(retry, ThreadLocalRandom.current().nextDouble());
          if (System.nanoTime() + backoff.toNanos() >= deadlineNanos) {
            // Waiting would pass the request's deadline: the next provider may still make it.
            log.add(record(target, outcome, verdict, micros, "fallback"));
            return null;
          }
          log.add(record(target, outcome, verdict, micros, "retry"));
          if (!pause(backoff)) {
            walk.interrupted = true;
            return null;
          }
        }
      }
    }
  }

  /** Tells the provider's health what this attempt showed; caller errors count for nothing. */
  private static void report(
      Target target, ProviderHealth health, UpstreamOutcome outcome, Verdict verdict) {
    ProviderConfig provider = target.provider();
    switch (verdict) {
      case SUCCESS -> health.succeeded();
      case RETRY -> health.failed(errorClass(outcome));
      case RATE_LIMITED ->
          health.rateLimited(
              target.model(),
              RetryAfter.fromHeaders(((Completed) outcome).headers(), Instant.now()).orElse(null));
      case KEY_REJECTED -> {
        int status = ((Completed) outcome).status();
        health.keyRejected(status);
        CONSOLE.log(
            System.Logger.Level.WARNING,
            "provider "
                + provider.name()
                + " answered "
                + status
                + ": its key is rejected or out of quota; skipped for "
                + ProviderHealth.AUTH_COOLDOWN.toMinutes()
                + " min");
      }
      // 404 (model missing for this key), a redirect, or the caller's own error: no verdict.
      case NEXT, CALLER_ERROR -> health.released();
    }
  }

  /** What a transient failure ({@link Verdict#RETRY}) was, for the provider's health. */
  private static String errorClass(UpstreamOutcome outcome) {
    return switch (outcome) {
      case Failed f -> f.type().name().toLowerCase(Locale.ROOT);
      case Completed c -> isInvalidBody(c, Verdict.RETRY) ? "invalid_body" : "http_" + c.status();
      case Streaming s -> "http_" + s.status();
    };
  }

  /** A success status the classifier still sent to retry: its body was cut or garbled. */
  private static boolean isInvalidBody(Completed c, Verdict verdict) {
    return verdict == Verdict.RETRY && c.status() >= 200 && c.status() < 300;
  }

  private AttemptRecord skipped(Target target) {
    ProviderHealth.Snapshot s = registry.of(target.provider()).snapshot();
    String state = s.state().name().toLowerCase(Locale.ROOT);
    String why = s.reason() == null ? state : state + ": " + s.reason();
    if (s.state() == ProviderHealth.State.HEALTHY
        && s.modelsCoolingDown().containsKey(target.model())) {
      state = "cooling_down";
      why = "cooling_down: rate_limited on " + target.model();
    }
    return new AttemptRecord(
        target.provider().name(), target.model(), 0, state, "skipped (" + why + ")", 0, "skipped");
  }

  /** What the walk has seen so far, to pick the final status when nothing worked. */
  private static final class Walk {
    boolean allRateLimited = true;
    boolean allOverBudget = true;
    boolean lastWasTimeout;
    boolean deadlinePassed;
    boolean interrupted;
    boolean attempted;
    Duration soonestRetry;

    void skipped(long waitNanos) {
      soonest(Duration.ofNanos(waitNanos));
    }

    private void soonest(Duration wait) {
      if (soonestRetry == null || wait.compareTo(soonestRetry) < 0) {
        soonestRetry = wait;
      }
    }

    /** Nothing was tried: every provider is cooling down or open past what the request can wait. */
    Exhausted unavailable(List<AttemptRecord> log, long waitNanos) {
      boolean rateLimits = log.stream().allMatch(a -> a.detail().contains("rate_limited"));
      String message = "Every provider is cooling down or unavailable (" + summary(log) + ")";
      return new Exhausted(
          rateLimits ? ErrorKind.RATE_LIMITED : ErrorKind.UNAVAILABLE,
          message,
          Duration.ofNanos(waitNanos),
          log);
    }

    void note(UpstreamOutcome outcome, Verdict verdict) {
      attempted = true;
      lastWasTimeout = outcome instanceof Failed f && f.type() == FailureType.TIMEOUT;
      allOverBudget &= outcome instanceof Failed f && f.type() == FailureType.OVER_BUDGET;
      if (verdict != Verdict.RATE_LIMITED) {
        allRateLimited = false;
        return;
      }
      Duration wait =
          RetryAfter.fromHeaders(((Completed) outcome).headers(), Instant.now())
              .orElse(DEFAULT_RATE_LIMIT_WAIT);
      soonest(wait);
    }

    Exhausted exhausted(List<AttemptRecord> log) {
      String triedText = log.isEmpty() ? "no provider was tried" : "tried " + summary(log);
      if (interrupted) {
        // The flag is cleared so that the answer can still be written to the client.
        Thread.interrupted();
        return new Exhausted(
            ErrorKind.UNAVAILABLE,
            "The router is shutting down; retry the request (" + triedText + ")",
            null,
            log);
      }
      if (!log.isEmpty() && allRateLimited && !deadlinePassed) {
        return new Exhausted(
            ErrorKind.RATE_LIMITED,
            "All providers are rate limited (" + triedText + ")",
            soonestRetry,
            log);
      }
      if (attempted && allOverBudget && !deadlinePassed) {
        // The router's memory, not the providers: a retry in a moment can work.
        return new Exhausted(
            ErrorKind.UNAVAILABLE,
            "The router has no memory left for more bodies right now (" + triedText + ")",
            DEFAULT_RATE_LIMIT_WAIT,
            log);
      }
      if (deadlinePassed || lastWasTimeout) {
        String why = deadlinePassed ? "The request deadline passed" : "The last provider timed out";
        return new Exhausted(ErrorKind.UPSTREAM_TIMEOUT, why + " (" + triedText + ")", null, log);
      }
      return new Exhausted(
          ErrorKind.UPSTREAM_FAILED, "All providers failed (" + triedText + ")", null, log);
    }
  }

  private static String summary(List<AttemptRecord> log) {
    StringJoiner all = new StringJoiner("; ");
    for (AttemptRecord a : log) {
      all.add(a.summary());
    }
    return all.toString();
  }

  private static AttemptRecord record(
      Target target, UpstreamOutcome outcome, Verdict verdict, long micros, String action) {
    String name = target.provider().name();
    String model = target.model();
    return switch (outcome) {
      case Completed c -> {
        yield isInvalidBody(c, verdict)
            ? new AttemptRecord(
                name, model, c.status(), "invalid_body", "invalid JSON body", micros, action)
            : new AttemptRecord(name, model, c.status(), null, null, micros, action);
      }
      case Streaming s -> new AttemptRecord(name, model, s.status(), null, null, micros, action);
      case Failed f ->
          new AttemptRecord(
              name,
              model,
              0,
              f.type() == FailureType.OVER_BUDGET
                  ? "broken" // what the client and the log see: the body could not be taken
                  : f.type().name().toLowerCase(Locale.ROOT),
              f.detail(),
              micros,
              action);
    };
  }

  /** Sleeps for the backoff; false when interrupted (the server is shutting down). */
  private static boolean pause(Duration backoff) {
    try {
      Thread.sleep(backoff);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
