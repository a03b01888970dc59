package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.routing.AttemptRecord.Action;
import dev.llmrouter.routing.FailureClassifier.Classification;
import dev.llmrouter.routing.RoutingResult.Answered;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.Response;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import dev.llmrouter.wire.Operation;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * Walks the providers of one request in priority order, applying {@link FailureClassifier}'s
 * verdicts: retries with backoff on the same provider, moves to the next, or stops. Everything here
 * happens before the client has received a byte; the caller commits only on {@link Answered}.
 *
 * <p>Time comes from the registry's clock and waits go through a {@link Sleeper}, so that every row
 * of the table can be tested without waiting.
 */
public final class FallbackExecutor {

  /** One attempt against one provider with its model ID, bounded by {@code timeout}. */
  @FunctionalInterface
  public interface Attempt {
    UpstreamOutcome run(Target target, Duration timeout);
  }

  /** Waits for {@code d}; false when interrupted (the server is shutting down). */
  @FunctionalInterface
  public interface Sleeper {
    boolean sleep(Duration d);
  }

  private final ProviderRegistry registry;
  private final Sleeper sleeper;
  private final Pause pause = new Pause();
  private final DoubleSupplier jitter;
  private final UnaryOperator<String> redact;
  private final ProviderOrder order = new ProviderOrder();

  /**
   * @param redact replaces every secret in an upstream's words (its error message) before they are
   *     cut for the attempt's record: cut first, a key that straddles the cut would keep its first
   *     part past every scan, into the client's answer and the log
   */
  public FallbackExecutor(ProviderRegistry registry, UnaryOperator<String> redact) {
    this(registry, null, () -> ThreadLocalRandom.current().nextDouble(), redact);
  }

  /**
   * @param sleeper how waits are made; null for real time, cut short by {@link #stopWaiting}
   * @param jitter uniform in [0, 1), for the backoff (see {@link Backoff})
   */
  public FallbackExecutor(
      ProviderRegistry registry,
      Sleeper sleeper,
      DoubleSupplier jitter,
      UnaryOperator<String> redact) {
    this.registry = registry;
    this.sleeper = sleeper != null ? sleeper : pause;
    this.jitter = jitter;
    this.redact = redact;
  }

  /**
   * Tries the targets in the given (priority) order until one answers or all have failed. Targets
   * cooling down (the provider, or its model) or with an open breaker are skipped; if that leaves
   * none, the one that becomes available soonest is waited for and tried, when that is within
   * {@code maxCooldownWait} and the deadline; otherwise the answer is at once a 429 (or 503) that
   * says when to come back.
   *
   * @param deadlineNanos the registry clock's value past which no attempt or backoff starts
   */
  public RoutingResult execute(
      List<Target> targets, long deadlineNanos, Duration maxCooldownWait, Attempt attempt) {
    return execute(targets, deadlineNanos, maxCooldownWait, Operation.CHAT, attempt);
  }

  /**
   * The same for one {@code operation}: on a route some providers of its API lack (the Responses
   * API, embeddings, count_tokens), a 404 may say the route is missing rather than the model, so it
   * moves on without marking the model as not served (which would skip it on chat too).
   */
  public RoutingResult execute(
      List<Target> targets,
      long deadlineNanos,
      Duration maxCooldownWait,
      Operation operation,
      Attempt attempt) {
    Walk walk = new Walk(deadlineNanos, attempt, targets.size());
    walk.routeMayBeMissing = !operation.everyProviderServes();
    walk.operation = operation;
    return walk(walk, targets, deadlineNanos, maxCooldownWait);
  }

  /**
   * A walk for a provider's model list: providers cooling down or broken are skipped as for any
   * request, but what the list calls answer changes no provider's health. OpenAI keys restricted to
   * some scopes answer 401 to {@code GET /models} and chat on; a list's 429 or 5xx is no verdict on
   * a model either.
   */
  public RoutingResult executeListing(
      List<Target> targets, long deadlineNanos, Duration maxCooldownWait, Attempt attempt) {
    Walk walk = new Walk(deadlineNanos, attempt, targets.size());
    walk.operation = Operation.CHAT;
    walk.reportsHealth = false;
    return walk(walk, targets, deadlineNanos, maxCooldownWait);
  }

  private RoutingResult walk(
      Walk walk, List<Target> targets, long deadlineNanos, Duration maxCooldownWait) {
    if (targets.isEmpty()) {
      return walk.noProviders();
    }
    Target soonest = null;
    long soonestWait = Long.MAX_VALUE;
    for (Target target : order.arrange(targets)) {
      if (walk.excluded(target)) {
        continue; // the same model or host already refused this very request
      }
      if (target.notTranslatable() != null) {
        walk.untranslatable(target);
        continue;
      }
      ProviderHealth health = registry.of(target.provider());
      String limitKey = walk.limitKey(target);
      ProviderHealth.Admission admission = health.admit(limitKey, !walk.routeMayBeMissing);
      long wait = admission.waitNanos();
      if (wait > 0) {
        walk.skipped(target, health.skipReason(limitKey), wait);
        if (wait < soonestWait) {
          soonest = target;
          soonestWait = wait;
        }
        continue;
      }
      walk.holdsProbe = admission.probe();
      RoutingResult answered = tryProvider(target, walk, 0);
      if (answered != null) {
        return answered;
      }
      if (walk.deadlinePassed || walk.interrupted) {
        return walk.end();
      }
    }
    if (walk.attempted || soonest == null) {
      return walk.end();
    }
    // Every provider that serves the request is skipped: rather than fail without a call, wait for
    // the one that comes back first, if that is soon (server.max_cooldown_wait) and within the
    // deadline. No provider is called twice.
    if (soonestWait > maxCooldownWait.toNanos() || registry.now() + soonestWait >= deadlineNanos) {
      return walk.unavailable(soonestWait);
    }
    if (!sleeper.sleep(Duration.ofNanos(soonestWait))) {
      walk.interrupted = true;
      return walk.end();
    }
    ProviderHealth.Admission again =
        registry.of(soonest.provider()).admit(walk.limitKey(soonest), !walk.routeMayBeMissing);
    if (again.waitNanos() > 0) {
      // Another request took the half-open probe while this one waited (one request probes a
      // broken provider, the others do not pile onto it), or its wait grew: not called.
      return walk.unavailable(again.waitNanos());
    }
    walk.waitedOut(soonestWait);
    walk.holdsProbe = again.probe();
    RoutingResult answered = tryProvider(soonest, walk, TimeUnit.NANOSECONDS.toMicros(soonestWait));
    return answered != null ? answered : walk.end();
  }

  /**
   * Sends to {@code target} alone, whatever its health: it holds state no other provider has (a
   * Responses API conversation). Retries on it as the table says; an answer that would move on is
   * returned as it is, status and body, since no other provider could do better.
   */
  public RoutingResult executeOnly(Target target, long deadlineNanos, Attempt attempt) {
    Walk walk = new Walk(deadlineNanos, attempt, 1);
    walk.pinned = true;
    // Goes through the same gate as a walk, so that a half-open probe is taken or left alone: a
    // provider that is not ours to probe now is called anyway, but its probe is not released.
    walk.holdsProbe = registry.of(target.provider()).admit(target.model()).probe();
    RoutingResult answered = tryProvider(target, walk, 0);
    return answered != null ? answered : walk.end();
  }

  /** The attempts on one provider: an answer, or null to move on. */
  private RoutingResult tryProvider(Target target, Walk walk, long waitedMicros) {
    ProviderConfig provider = target.provider();
    ProviderHealth health = registry.of(provider);
    for (int retry = 0; ; retry++) {
      long remaining = walk.deadline - registry.now();
      if (remaining <= 0) {
        walk.deadlinePassed = true;
        HealthReports.release(walk, health);
        return null;
      }
      Duration timeout = min(provider.timeout(), Duration.ofNanos(remaining));
      long start = registry.now();
      UpstreamOutcome outcome;
      try {
        outcome = walk.attempt.run(target, timeout);
      } catch (RuntimeException e) {
        // A bug must not leave the provider's half-open probe taken forever.
        HealthReports.release(walk, health);
        throw e;
      }
      if (Thread.currentThread().isInterrupted()) {
        cancelled(target, walk, outcome, start, waitedMicros);
        return null;
      }
      long micros = TimeUnit.NANOSECONDS.toMicros(registry.now() - start);
      Classification c = FailureClassifier.classify(outcome);
      // Cut by the request's deadline rather than the provider's own timeout: the router gave up
      // on it, which says nothing of the provider (three such cuts would open a healthy backup's
      // breaker behind a slow primary), and what passed is the deadline, as the 504 then says.
      // A tenth of the provider's timeout at least: the first attempt always gets a little less
      // than a timeout equal to the deadline (the request's own handling came first), and that
      // provider's silence is its own.
      long own = provider.timeout().toNanos();
      boolean cutByDeadline =
          c.verdict() == FailureClassifier.Verdict.TIMED_OUT && timeout.toNanos() < own - own / 10;
      walk.deadlinePassed |= cutByDeadline;
      walk.note(outcome, c);
      StreamVerdict streamVerdict =
          HealthReports.afterAttempt(target, health, walk, outcome, c, cutByDeadline, redact);
      walk.holdsProbe = false; // whatever it said ended the probe; a retry is no probe
      Action next = next(c, retry, provider, walk);
      if (walk.pinned && next == Action.FALLBACK && outcome instanceof Response) {
        next = Action.RETURNED;
      }
      walk.add(record(target, outcome, c, micros, waitedMicros, next));
      waitedMicros = 0; // only the first call after a wait waited
      outcome = FailureClassifier.withItsErrorStatus(outcome, c);
      switch (next) {
        case SUCCESS, RETURNED -> {
          return new Answered(target, (Response) outcome, walk.log, streamVerdict);
        }
        case RETRY -> {
          if (!sleeper.sleep(walk.backoff)) {
            walk.interrupted = true;
            return null;
          }
        }
        case FALLBACK -> {
          walk.defer(target, outcome, c);
          return null;
        }
        case SKIPPED, CANCELLED ->
            throw new IllegalStateException("a classified attempt is never a skip or a cut");
      }
    }
  }

  /**
   * Shutdown past its grace period, or the client left, during an attempt: no further attempt; the
   * caller answers. A stream opened just before would otherwise run on, billed, until its idle
   * deadline: nobody else holds it.
   */
  private void cancelled(
      Target target, Walk walk, UpstreamOutcome outcome, long start, long waitedMicros) {
    if (outcome instanceof Streaming s) {
      s.rest().close();
    }
    HealthReports.release(walk, registry.of(target.provider()));
    walk.interrupted = true;
    walk.add(
        new AttemptRecord(
            target.provider().name(),
            target.model(),
            outcome instanceof Response r ? r.status() : 0,
            null,
            "cut before its answer came (the client left, or a shutdown)",
            null,
            0,
            TimeUnit.NANOSECONDS.toMicros(registry.now() - start),
            waitedMicros,
            Action.CANCELLED,
            null));
  }

  /** What follows a classified attempt; a retry's backoff is left in {@code walk.backoff}. */
  private Action next(Classification c, int retry, ProviderConfig provider, Walk walk) {
    return switch (c.verdict()) {
      case SUCCESS -> Action.SUCCESS;
      case CALLER_ERROR -> Action.RETURNED;
      case RETRY -> retryOrMoveOn(retry, provider, walk);
      // The provider may still be working on the request it timed out on: the same request again
      // could be billed twice, unless its operator said that is fine (retry_on_timeout).
      case TIMED_OUT ->
          provider.retryOnTimeout() ? retryOrMoveOn(retry, provider, walk) : Action.FALLBACK;
      case NEXT,
          KEY_REJECTED,
          RATE_LIMITED,
          MODEL_NOT_SERVED,
          NEXT_OTHER_MODEL,
          NEXT_OTHER_HOST,
          NOT_HELD ->
          Action.FALLBACK;
    };
  }

  /** A retry with backoff while {@code max_retries} and the deadline allow, else the next one. */
  private Action retryOrMoveOn(int retry, ProviderConfig provider, Walk walk) {
    if (retry >= provider.maxRetries()) {
      return Action.FALLBACK;
    }
    walk.backoff = Backoff.delay(retry, jitter.getAsDouble());
    // Waiting would pass the request's deadline: the next provider may still make it.
    return registry.now() + walk.backoff.toNanos() >= walk.deadline
        ? Action.FALLBACK
        : Action.RETRY;
  }

  /**
   * A transport failure of an exchange made outside a walk (a stored Responses API response asked
   * about by its id); see {@link HealthReports#failedOutsideWalk}.
   *
   * @return its class, for the attempt's record
   */
  public FailureClass failedOutsideWalk(Target target, Failed failure) {
    return HealthReports.failedOutsideWalk(target, registry.of(target.provider()), failure);
  }

  private AttemptRecord record(
      Target target,
      UpstreamOutcome outcome,
      Classification c,
      long micros,
      long waitedMicros,
      Action action) {
    // A failure returned as it is (a caller's 400, a pinned provider's error) keeps its reason as
    // every failed attempt does; a caller's error has no class of the provider's.
    boolean succeeded = action == Action.SUCCESS;
    return new AttemptRecord(
        target.provider().name(),
        target.model(),
        outcome instanceof Response r ? r.status() : 0,
        succeeded ? null : c.failureClass(),
        succeeded ? null : detail(c.reason()),
        outcome instanceof Response r ? requestId(r.headers()) : null,
        c.retryAfter() == null ? 0 : Math.max(1, c.retryAfter().toMillis()),
        micros,
        waitedMicros,
        action,
        null);
  }

  /** An upstream's words as records and answers show them: secrets out, then cut. */
  private String detail(String reason) {
    if (reason == null) {
      return null;
    }
    String clean = redact.apply(reason);
    return Json.cut(clean, ErrorBody.MAX_SHOWN);
  }

  /** OpenAI's {@code x-request-id} or Anthropic's {@code request-id}, when printable and short. */
  private static String requestId(HttpHeaders headers) {
    String id =
        headers
            .firstValue("x-request-id")
            .orElseGet(() -> headers.firstValue("request-id").orElse(null));
    if (id == null || id.isEmpty() || id.length() > 200) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      if (id.charAt(i) < 0x21 || id.charAt(i) > 0x7e) {
        return null;
      }
    }
    return id;
  }

  /**
   * The server is stopping and lets requests run until {@code graceEnd} ({@link System#nanoTime}):
   * a walk whose wait (a cooling provider, a backoff) would end later stops waiting and is answered
   * at once (503, retry: another instance can answer), rather than holding the drain until its
   * grace runs out and being cut then. A wait that ends within the grace goes on.
   */
  public void stopWaiting(long graceEnd) {
    pause.stopWaiting(graceEnd);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
