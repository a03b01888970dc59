package dev.llmrouter.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * What later requests should know about one provider: a cooldown (a rate limit or a bad key) and a
 * circuit breaker (repeated transient failures). It decides which providers a request skips; it
 * never cuts short the retries of a request already running.
 *
 * <p>Rules (README "Reliability"): a 429 cools the pair (provider, model) down until its reset time
 * (1 s when no header says, at most 10 min), since OpenAI and Anthropic limit each model
 * separately; a 429 on a request without a model cools the whole provider; 401/402/403 cool it down
 * for 5 min; {@value #FAILURES_TO_OPEN} consecutive transient failures open the breaker for 5 s,
 * doubling on every failed probe up to 60 s; when it has run out, one request probes (half-open)
 * and a success closes it. Caller errors never count against a provider.
 */
public final class ProviderHealth {

  static final int FAILURES_TO_OPEN = 3;
  static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(1);
  static final Duration MAX_COOLDOWN = Duration.ofMinutes(10);
  static final Duration AUTH_COOLDOWN = Duration.ofMinutes(5);
  static final Duration FIRST_OPEN = Duration.ofSeconds(5);
  static final Duration MAX_OPEN = Duration.ofSeconds(60);

  /** What {@code /health} shows. */
  public enum State {
    HEALTHY,
    COOLING_DOWN,
    OPEN,
    HALF_OPEN
  }

  /**
   * A moment's view, for /health and metrics.
   *
   * @param modelsCoolingDown upstream model IDs rate limited on their own, with seconds left
   */
  public record Snapshot(
      State state,
      long secondsLeft,
      String reason,
      String lastError,
      long lastErrorEpochMillis,
      long successes,
      long failures,
      Map<String, Long> modelsCoolingDown) {}

  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private long cooldownUntil;
  private String cooldownReason;
  private int consecutiveFailures;
  private long openUntil;
  private long openNanos;
  private boolean breakerOpen;
  private boolean probing;
  private String lastError;
  private long lastErrorEpochMillis;
  private long successes;
  private long failures;

  /** Per upstream model: the nanoClock value its rate limit ends at. */
  private final Map<String, Long> modelCooldowns = new HashMap<>();

  public ProviderHealth(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Nanoseconds until this provider may be tried (0 = now). A half-open breaker admits one probe:
   * the caller that gets 0 for it holds the probe until it reports an outcome.
   */
  public long waitNanos() {
    return waitNanos(null);
  }

  /** The same for one upstream model: its own rate limit counts too. */
  public long waitNanos(String model) {
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      long wait = Math.max(0, cooldownUntil - now);
      if (model != null && !modelCooldowns.isEmpty()) {
        Long until = modelCooldowns.get(model);
        if (until != null) {
          if (until - now > 0) {
            wait = Math.max(wait, until - now);
          } else {
            modelCooldowns.remove(model);
          }
        }
      }
      if (breakerOpen) {
        if (now - openUntil < 0) {
          wait = Math.max(wait, openUntil - now);
        } else if (probing) {
          wait = Math.max(wait, TimeUnit.MILLISECONDS.toNanos(100)); // someone else probes
        } else if (wait == 0) {
          probing = true;
        }
      }
      return wait;
    } finally {
      lock.unlock();
    }
  }

  public void succeeded() {
    lock.lock();
    try {
      successes++;
      consecutiveFailures = 0;
      breakerOpen = false;
      probing = false;
      openNanos = 0;
    } finally {
      lock.unlock();
    }
  }

  /** A 429 on a request without a model: the whole provider waits out its reset time. */
  public void rateLimited(Duration wait) {
    rateLimited(null, wait);
  }

  /**
   * A 429 for one upstream model: that model waits out the provider's reset time, the provider's
   * other models stay in service. Null cools the whole provider.
   */
  public void rateLimited(String model, Duration wait) {
    Duration d = wait == null ? DEFAULT_COOLDOWN : wait;
    d = d.compareTo(MAX_COOLDOWN) > 0 ? MAX_COOLDOWN : d;
    if (model == null) {
      coolDown(d, "rate_limited");
      return;
    }
    lock.lock(); // reentrant: coolDown below takes it again
    try {
      long now = nanoClock.getAsLong();
      if (modelCooldowns.size() >= MAX_MODEL_COOLDOWNS) {
        modelCooldowns.values().removeIf(until -> until - now <= 0);
      }
      if (modelCooldowns.size() >= MAX_MODEL_COOLDOWNS && !modelCooldowns.containsKey(model)) {
        // Clients choose the names a provider without models passes on: past this many at once,
        // the provider as a whole waits rather than the map growing.
        coolDown(d, "rate_limited");
        return;
      }
      note("rate_limited");
      modelCooldowns.merge(model, now + d.toNanos(), (old, neu) -> neu - old > 0 ? neu : old);
      probing = false;
    } finally {
      lock.unlock();
    }
  }

  /** The most models one provider keeps separate rate limits for. */
  static final int MAX_MODEL_COOLDOWNS = 1024;

  /** 401/402/403: a bad or exhausted key does not heal in a second. */
  public void keyRejected(int status) {
    coolDown(AUTH_COOLDOWN, status == 402 ? "billing" : "auth_failed");
  }

  /** A transient failure: connect, timeout, reset, 5xx. */
  public void failed(String errorClass) {
    lock.lock();
    try {
      note(errorClass);
      consecutiveFailures++;
      if (probing || consecutiveFailures >= FAILURES_TO_OPEN) {
        openNanos =
            openNanos == 0 ? FIRST_OPEN.toNanos() : Math.min(openNanos * 2, MAX_OPEN.toNanos());
        breakerOpen = true;
        probing = false;
        openUntil = nanoClock.getAsLong() + openNanos;
      }
    } finally {
      lock.unlock();
    }
  }

  /** The probe ended without a verdict on the provider (a caller error): let another probe. */
  public void released() {
    lock.lock();
    try {
      probing = false;
    } finally {
      lock.unlock();
    }
  }

  private void coolDown(Duration d, String reason) {
    lock.lock();
    try {
      note(reason);
      long until = nanoClock.getAsLong() + d.toNanos();
      if (until - cooldownUntil > 0) {
        cooldownUntil = until;
        cooldownReason = reason;
      }
      probing = false;
    } finally {
      lock.unlock();
    }
  }

  private void note(String errorClass) {
    failures++;
    lastError = errorClass;
    lastErrorEpochMillis = System.currentTimeMillis();
  }

  private static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  public Snapshot snapshot() {
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      State state;
      long left = 0;
      String reason = null;
      if (cooldownUntil - now > 0) {
        state = State.COOLING_DOWN;
        left = cooldownUntil - now;
        reason = cooldownReason;
      } else if (breakerOpen && openUntil - now > 0) {
        state = State.OPEN;
        left = openUntil - now;
        reason = "failures";
      } else if (breakerOpen) {
        state = State.HALF_OPEN;
      } else {
        state = State.HEALTHY;
      }
      Map<String, Long> models = new TreeMap<>();
      modelCooldowns.entrySet().removeIf(e -> e.getValue() - now <= 0);
      modelCooldowns.forEach((model, until) -> models.put(model, seconds(until - now)));
      return new Snapshot(
          state,
          seconds(left),
          reason,
          lastError,
          lastErrorEpochMillis,
          successes,
          failures,
          models);
    } finally {
      lock.unlock();
    }
  }
}
