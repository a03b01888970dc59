package dev.llmrouter.routing;

import dev.llmrouter.routing.AttemptRecord.Action;
import dev.llmrouter.routing.FailureClassifier.Classification;
import dev.llmrouter.routing.FailureClassifier.Verdict;
import dev.llmrouter.routing.RoutingResult.Answered;
import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.upstream.UpstreamOutcome.Response;
import dev.llmrouter.wire.ErrorKind;
import dev.llmrouter.wire.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One request's walk over its providers, as {@link FallbackExecutor} makes it: the attempt log,
 * what this request already learnt to avoid, and how it ends when no provider answered.
 */
final class Walk {

  final long deadline;
  final FallbackExecutor.Attempt attempt;
  final List<AttemptRecord> log;
  boolean deadlinePassed;
  boolean interrupted;
  boolean attempted;

  /** The one provider that can answer (it holds the request's state): its failure is the answer. */
  boolean pinned;

  /** Whether this request may end a half-open probe (false when another request holds it). */
  boolean holdsProbe = true;

  /** A 404 may mean the provider lacks the route: it marks no model as not served. */
  boolean routeMayBeMissing;

  /**
   * Whether its outcomes tell the providers' health anything: not for a model list, whose refusal
   * (a key without the scope to list models), 429 or 5xx says nothing of what chat would get.
   */
  boolean reportsHealth = true;

  /** What the request asks for (null for a request pinned to one provider): words for a 404. */
  Operation operation;

  /** The name {@code target}'s cooldowns are kept under on this request's route. */
  String limitKey(Target target) {
    return operation == null ? target.model() : operation.limitKey(target.model());
  }

  /** The wait before the retry {@link FallbackExecutor} just decided on. */
  Duration backoff;

  private boolean allRateLimited = true;
  private boolean allOverBudget = true;
  private boolean allModelNotServed = true;
  private boolean lastWasTimeout;
  private Duration soonestRetry;

  /** The two soonest returns of the providers skipped so far, in nanoseconds. */
  private long soonestSkip = Long.MAX_VALUE;

  private long nextSkip = Long.MAX_VALUE;

  /**
   * A provider failed or was passed over for a reason that passes (a rate limit, an outage, a
   * cooldown): it may hold the response a "previous response not found" elsewhere is about.
   */
  private boolean holderMayBeElsewhere;

  /** Upstream model IDs whose context window this request's prompt exceeded. */
  private final Set<String> tooSmallModels = new HashSet<>();

  /** Hosts whose content filter, or Claude behind them, refused this request. */
  private final Set<String> filteringHosts = new HashSet<>();

  /** The first such refusal: what the client gets when no other provider answers. */
  private Answered deferred;

  private int deferredIndex;
  private boolean deferredNotHeld;

  Walk(long deadline, FallbackExecutor.Attempt attempt, int providers) {
    this.deadline = deadline;
    this.attempt = attempt;
    this.log = new ArrayList<>(providers + 1);
  }

  void add(AttemptRecord record) {
    log.add(record);
  }

  void skipped(Target target, SkipReason why, long waitNanos) {
    log.add(AttemptRecord.skipped(target, why));
    if (waitNanos < soonestSkip) {
      nextSkip = soonestSkip;
      soonestSkip = waitNanos;
    } else if (waitNanos < nextSkip) {
      nextSkip = waitNanos;
    }
    holderMayBeElsewhere |=
        why == SkipReason.COOLING_DOWN
            || why == SkipReason.BREAKER_OPEN
            || why == SkipReason.KEY_REJECTED;
    soonest(Duration.ofNanos(waitNanos));
  }

  /** A provider of the other API that cannot take this request: skipped, with the field. */
  void untranslatable(Target target) {
    log.add(AttemptRecord.untranslatable(target));
  }

  /** Whether this request already learnt that {@code target} would refuse it the same way. */
  boolean excluded(Target target) {
    return tooSmallModels.contains(modelKey(target)) || filteringHosts.contains(server(target));
  }

  /** The host a provider is on: a content filter, or Claude, is the same behind each key. */
  private static String server(Target target) {
    return target.provider().baseUrl().getHost();
  }

  private static String modelKey(Target target) {
    return Objects.toString(target.model(), ""); // no model: every provider gets the same body
  }

  void note(UpstreamOutcome outcome, Classification c) {
    attempted = true;
    lastWasTimeout = outcome instanceof Failed f && f.type() == FailureType.TIMEOUT;
    allOverBudget &= outcome instanceof Failed f && f.type() == FailureType.OVER_BUDGET;
    allModelNotServed &= c.verdict() == Verdict.MODEL_NOT_SERVED;
    holderMayBeElsewhere |=
        switch (c.verdict()) {
          case RETRY, TIMED_OUT, NEXT, KEY_REJECTED, RATE_LIMITED -> true;
          default -> false;
        };
    if (c.verdict() == Verdict.NOT_HELD) {
      return; // says nothing of limits: rate limited elsewhere, the client should wait
    }
    if (c.verdict() != Verdict.RATE_LIMITED) {
      allRateLimited = false;
      return;
    }
    // The provider is tried again after its cooldown: the client is told no longer (a
    // "Retry-After: 99999999" would otherwise reach it as a day).
    soonest(ProviderHealth.rateLimitCooldown(c.retryAfter()));
  }

  /**
   * A provider that moved on: a too-long prompt or a filtered one is remembered, so the walk skips
   * providers that would refuse it the same way, and keeps the first such answer for the client; so
   * is the first "previous response not found", for when no provider holds the conversation.
   */
  void defer(Target target, UpstreamOutcome outcome, Classification c) {
    if (c.verdict() == Verdict.NEXT_OTHER_MODEL) {
      tooSmallModels.add(modelKey(target));
    } else if (c.verdict() == Verdict.NEXT_OTHER_HOST) {
      filteringHosts.add(server(target));
    } else if (c.verdict() != Verdict.NOT_HELD) {
      return;
    }
    if (deferred == null) {
      deferred = new Answered(target, (Response) outcome, log);
      deferredIndex = log.size() - 1;
      deferredNotHeld = c.verdict() == Verdict.NOT_HELD;
    }
  }

  /**
   * Every provider was skipped, and the walk waited {@code waitedNanos} for the one that came back
   * first, which it calls next: the skips no longer say when to come back. The others are that much
   * nearer their return, and the one waited for says anew if it is rate limited again. Without
   * this, a client would be told the remainder of a cooldown already waited out (1 s) when the
   * provider had just asked for 2 s more.
   */
  void waitedOut(long waitedNanos) {
    soonestRetry =
        nextSkip == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(0, nextSkip - waitedNanos));
  }

  private void soonest(Duration wait) {
    if (soonestRetry == null || wait.compareTo(soonestRetry) < 0) {
      soonestRetry = wait;
    }
  }

  /**
   * Nobody answered: a held refusal goes to the client as it is, else the router's own error. A
   * "previous response not found" only when no provider that may hold the response failed for a
   * reason that passes: a 400 would end the conversation, where a wait for the rate-limited
   * provider that made the response lets it go on.
   */
  RoutingResult end() {
    if (deferred != null && !interrupted && !(deferredNotHeld && holderMayBeElsewhere)) {
      log.set(deferredIndex, log.get(deferredIndex).withAction(Action.RETURNED));
      return new Answered(deferred.target(), deferred.response(), log);
    }
    return exhausted();
  }

  Exhausted noProviders() {
    return new Exhausted(
        ErrorKind.UNAVAILABLE, "no providers are configured for this endpoint", null, log);
  }

  /**
   * Nothing was tried: every provider is skipped past what the request may wait. 429 unless every
   * one that could take the request is only failing (an open breaker): then 503. A rejected key's
   * 5-minute cooldown is a cooldown like a rate limit's (429, with when it ends); 404 when each
   * said it has no such model. A provider without the model, or of the other API, says nothing
   * about limits either way.
   */
  Exhausted unavailable(long waitNanos) {
    boolean onlyBreakers =
        log.stream()
            .allMatch(
                a ->
                    a.skipReason() == SkipReason.BREAKER_OPEN
                        || a.skipReason() == SkipReason.MODEL_NOT_SERVED
                        || a.skipReason() == SkipReason.NOT_TRANSLATABLE);
    if (modelServedNowhere()) {
      // Each said it has no such model (a typo, say): no wait makes one appear, and a 429 would
      // send an SDK to retry into the same answer.
      return new Exhausted(
          ErrorKind.MODEL_NOT_FOUND,
          "No provider of this endpoint serves this model: each said so recently ("
              + summary()
              + ")",
          null,
          log);
    }
    Duration wait = Duration.ofNanos(waitNanos);
    String message =
        "Every provider that serves this request is cooling down or unavailable; the first comes"
            + " back in "
            + (wait.toMillis() + 999) / 1000
            + " s ("
            + summary()
            + ")";
    return new Exhausted(
        onlyBreakers ? ErrorKind.UNAVAILABLE : ErrorKind.RATE_LIMITED, message, wait, log);
  }

  Exhausted exhausted() {
    if (interrupted) {
      // The flag is cleared so that the answer can still be written to the client.
      Thread.interrupted();
      // Another instance (a rolling deploy) can answer: a retry in a moment is the right thing.
      return new Exhausted(
          ErrorKind.UNAVAILABLE,
          "The router is shutting down; retry the request (" + tried() + ")",
          Duration.ofSeconds(1),
          log);
    }
    if (!deadlinePassed && modelServedNowhere()) {
      return new Exhausted(
          ErrorKind.MODEL_NOT_FOUND,
          "No provider of this endpoint serves this model: " + summary(),
          null,
          log);
    }
    if (!deadlinePassed && routeMayBeMissing && everyProviderSaidNo()) {
      // Each answered 404 on a route many servers lack (count_tokens, embeddings...): whether
      // the route or the model is missing, none can answer, and a 502 would pass for an outage.
      return new Exhausted(
          ErrorKind.NOT_FOUND, // not model_not_found: the route may be what is missing
          (operation == Operation.COUNT_TOKENS
                  ? "No provider can count tokens for this model: "
                  : "No provider of this endpoint serves this model on this route: ")
              + summary(),
          null,
          log);
    }
    if (!log.isEmpty() && allRateLimited && !deadlinePassed) {
      return new Exhausted(
          ErrorKind.RATE_LIMITED,
          "All providers are rate limited: " + summary(),
          soonestRetry,
          log);
    }
    if (attempted && allOverBudget && !deadlinePassed) {
      // The router's memory, not the providers: a retry in a moment can work.
      return new Exhausted(
          ErrorKind.UNAVAILABLE,
          "The router has no memory left for more bodies right now (" + tried() + ")",
          ProviderHealth.DEFAULT_RATE_LIMIT_WAIT,
          log);
    }
    if (deadlinePassed || lastWasTimeout) {
      String why = deadlinePassed ? "The request deadline passed" : "The last provider timed out";
      return new Exhausted(ErrorKind.UPSTREAM_TIMEOUT, why + ": " + summary(), null, log);
    }
    return new Exhausted(
        ErrorKind.UPSTREAM_FAILED, "All providers failed: " + summary(), null, log);
  }

  /**
   * Whether every provider said, now or recently (a not-served skip), that it has no such model: a
   * 404 for the model is then the whole truth. Not when one was passed over for a reason that
   * passes (a cooldown, an open breaker, a rejected key), which may serve it, nor on a route a
   * provider may lack, where a 404 may mean the route. The other API's providers count for nothing.
   */
  private boolean modelServedNowhere() {
    return !routeMayBeMissing && everyProviderSaidNo();
  }

  /** Every provider tried said it has no such model (or route), and none was passed over. */
  private boolean everyProviderSaidNo() {
    if (!allModelNotServed) {
      return false; // an attempt said something else
    }
    boolean said = attempted;
    for (AttemptRecord a : log) {
      SkipReason r = a.skipReason();
      if (r == SkipReason.MODEL_NOT_SERVED) {
        said = true;
      } else if (r != null && r != SkipReason.NOT_TRANSLATABLE) {
        return false;
      }
    }
    return said;
  }

  private String tried() {
    return log.isEmpty() ? "no provider was tried" : "tried " + summary();
  }

  private String summary() {
    return AttemptRecord.summary(log);
  }
}
