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

  /** Used when a rate-limited provider gave no hint of its own. */
  static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);

  /** One attempt against one provider, bounded by {@code timeout}. */
  @FunctionalInterface
  public interface Attempt {
    UpstreamOutcome run(ProviderConfig provider, Duration timeout);
  }

  /**
   * Tries the providers in the given (priority) order until one answers or all have failed.
   *
   * @param deadlineNanos {@link System#nanoTime()} value past which no attempt or backoff starts
   */
  public RoutingResult execute(
      List<ProviderConfig> providers, long deadlineNanos, Attempt attempt) {
    List<AttemptRecord> log = new ArrayList<>(providers.size() + 1);
    if (providers.isEmpty()) {
      return new Exhausted(
          ErrorKind.UNAVAILABLE, "no providers are configured for this endpoint", null, log);
    }
    Walk walk = new Walk();
    providers:
    for (ProviderConfig provider : providers) {
      for (int retry = 0; ; retry++) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          walk.deadlinePassed = true;
          break providers;
        }
        Duration timeout = min(provider.timeout(), Duration.ofNanos(remaining));
        long start = System.nanoTime();
        UpstreamOutcome outcome = attempt.run(provider, timeout);
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        Verdict verdict = FailureClassifier.classify(outcome);
        walk.note(outcome, verdict);
        switch (verdict) {
          case SUCCESS, CALLER_ERROR -> {
            String action = verdict == Verdict.SUCCESS ? "success" : "returned";
            log.add(record(provider, outcome, verdict, micros, action));
            return new Answered(provider, (Response) outcome, log);
          }
          case RATE_LIMITED, NEXT -> {
            log.add(record(provider, outcome, verdict, micros, "fallback"));
            continue providers;
          }
          case RETRY -> {
            if (retry >= provider.maxRetries()) {
              log.add(record(provider, outcome, verdict, micros, "fallback"));
              continue providers;
            }
            Duration backoff = Backoff.delay(retry, ThreadLocalRandom.current().nextDouble());
            if (System.nanoTime() + backoff.toNanos() >= deadlineNanos) {
              // Waiting would pass the request's deadline: the next provider may still make it.
              log.add(record(provider, outcome, verdict, micros, "fallback"));
              continue providers;
            }
            log.add(record(provider, outcome, verdict, micros, "retry"));
            if (!pause(backoff)) {
              break providers;
            }
          }
        }
      }
    }
    return walk.exhausted(log);
  }

  /** What the walk has seen so far, to pick the final status when nothing worked. */
  private static final class Walk {
    boolean allRateLimited = true;
    boolean lastWasTimeout;
    boolean deadlinePassed;
    Duration soonestRetry;

    void note(UpstreamOutcome outcome, Verdict verdict) {
      lastWasTimeout = outcome instanceof Failed f && f.type() == FailureType.TIMEOUT;
      if (verdict != Verdict.RATE_LIMITED) {
        allRateLimited = false;
        return;
      }
      Duration wait =
          RetryAfter.fromHeaders(((Completed) outcome).headers(), Instant.now())
              .orElse(DEFAULT_RATE_LIMIT_WAIT);
      if (soonestRetry == null || wait.compareTo(soonestRetry) < 0) {
        soonestRetry = wait;
      }
    }

    Exhausted exhausted(List<AttemptRecord> log) {
      StringJoiner tried = new StringJoiner("; ", "", "");
      for (AttemptRecord a : log) {
        tried.add(a.summary());
      }
      String triedText = log.isEmpty() ? "no provider was tried" : "tried " + tried;
      if (!log.isEmpty() && allRateLimited && !deadlinePassed) {
        return new Exhausted(
            ErrorKind.RATE_LIMITED,
            "All providers are rate limited (" + triedText + ")",
            soonestRetry,
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

  private static AttemptRecord record(
      ProviderConfig provider,
      UpstreamOutcome outcome,
      Verdict verdict,
      long micros,
      String action) {
    return switch (outcome) {
      case Completed c -> {
        boolean invalidBody = c.status() >= 200 && c.status() < 300 && verdict == Verdict.RETRY;
        yield invalidBody
            ? new AttemptRecord(
                provider.name(), c.status(), "invalid_body", "invalid JSON body", micros, action)
            : new AttemptRecord(provider.name(), c.status(), null, null, micros, action);
      }
      case Streaming s ->
          new AttemptRecord(provider.name(), s.status(), null, null, micros, action);
      case Failed f ->
          new AttemptRecord(
              provider.name(),
              0,
              f.type().name().toLowerCase(Locale.ROOT),
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
