package dev.llmrouter.routing;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * What later requests should know about one provider: a cooldown (a rate limit or a bad key), the
 * models it cannot serve for now, and a circuit breaker (repeated transient failures). It decides
 * which providers a request skips; it never cuts short the retries of a request already running.
 *
 * <p>Rules (README "Reliability"): a 429 cools the pair (provider, model) down until its reset time
 * (1 s when no header says, at most 10 min), since OpenAI and Anthropic limit each model
 * separately; a 429 on a request without a model cools the whole provider. A rejected key or one
 * out of credit cools the provider for 5 min; a model it does not serve is skipped for 10 min.
 * {@value #FAILURES_TO_OPEN} consecutive transient failures open the breaker for 5 s, doubling on
 * every failed probe up to 60 s; when it has run out, one request probes (half-open) and a success
 * closes it. Caller errors never count against a provider.
 */
public final class ProviderHealth {

  static final int FAILURES_TO_OPEN = 3;

  /** The wait of a 429 that gave no hint of its own. */
  public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);

  static final Duration MAX_COOLDOWN = Duration.ofMinutes(10);
  static final Duration AUTH_COOLDOWN = Duration.ofMinutes(5);
  static final Duration NOT_SERVED_COOLDOWN = Duration.ofMinutes(10);
  static final Duration FIRST_OPEN = Duration.ofSeconds(5);
  static final Duration MAX_OPEN = Duration.ofSeconds(60);

  /** What {@code /health} shows. */
  public enum State {
    HEALTHY,
    COOLING_DOWN,
    OPEN,
    HALF_OPEN
  }

  private static final Admission NOW = new Admission(0, false);

  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private long cooldownUntil;
  private FailureClass cooldownClass;
  private int consecutiveFailures;
  private long openUntil;
  private long openNanos;
  private boolean breakerOpen;
  private boolean probing;
  private String lastError;
  private long lastErrorEpochMillis;
  private long successes;
  private long failures;
  private final ModelCooldowns modelCooldowns = new ModelCooldowns();

  public ProviderHealth(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * What the gate told one request about this provider.
   *
   * @param waitNanos how long until it may be tried (0 = now)
   * @param probe whether this request took the half-open breaker's one probe: its failure alone
   *     reopens the breaker (see {@link #failed(String, boolean)})
   */
  public record Admission(long waitNanos, boolean probe) {}

  /**
   * Nanoseconds until this provider may be tried (0 = now). A half-open breaker admits one probe:
   * the caller that gets 0 for it holds the probe until it reports an outcome.
   */
  public long waitNanos() {
    return waitNanos(null);
  }

  /** The same for one upstream model: its own cooldown counts too. */
  public long waitNanos(String model) {
    return admit(model).waitNanos();
  }

  /** The gate for one request for {@code model}: its wait, and whether it holds the probe. */
  public Admission admit(String model) {
    return admit(model, true);
  }

  /**
   * As {@link #admit(String)}; with {@code notServedCounts} false, a mark that the provider does
   * not serve the model is passed over: it was learnt on chat or Messages, and a provider that
   * answers 404 there may serve the model on another route ("not a chat model": embeddings, legacy
   * completions, "only supported in v1/responses").
   */
  public Admission admit(String model, boolean notServedCounts) {
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      ModelCooldowns.Cooldown own = modelCooldowns.of(model);
      modelCooldowns.forgetIfOver(model, now);
      boolean passOver =
          !notServedCounts && own != null && own.reason() == SkipReason.MODEL_NOT_SERVED;
      long wait = cooldownLeft(passOver ? null : model, now);
      boolean probe = false;
      if (breakerOpen) {
        if (now - openUntil < 0) {
          wait = Math.max(wait, openUntil - now);
        } else if (probing) {
          wait = Math.max(wait, TimeUnit.MILLISECONDS.toNanos(100)); // someone else probes
        } else if (wait == 0) {
          probing = true;
          probe = true;
        }
      }
      return wait == 0 && !probe ? NOW : new Admission(wait, probe);
    } finally {
      lock.unlock();
    }
  }

  /** Why a request for {@code model} skips this provider now (call when its wait is above 0). */
  public SkipReason skipReason(String model) {
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      if (cooldownUntil - now > 0) {
        return cooldownClass == FailureClass.RATE_LIMITED
            ? SkipReason.COOLING_DOWN
            : SkipReason.KEY_REJECTED;
      }
      ModelCooldowns.Cooldown own = modelCooldowns.of(model);
      if (own != null && own.until() - now > 0) {
        return own.reason();
      }
      return SkipReason.BREAKER_OPEN;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A success.
   *
   * @return true when this closed an open breaker (a change worth saying on the console)
   */
  public boolean succeeded() {
    lock.lock();
    try {
      boolean wasOpen = breakerOpen;
      successes++;
      consecutiveFailures = 0;
      breakerOpen = false;
      probing = false;
      openNanos = 0;
      return wasOpen;
    } finally {
      lock.unlock();
    }
  }

  /** A 429 on a request without a model: the whole provider waits out its reset time. */
  public Duration rateLimited(Duration wait) {
    return rateLimited(null, wait);
  }

  /**
   * How long a 429 with this {@code Retry-After} hint (null: none) cools its model down: the hint,
   * or 1 s without one, at most 10 min. The client of a walk that met only 429s is told the same.
   */
  static Duration rateLimitCooldown(Duration hint) {
    Duration d = hint == null ? DEFAULT_RATE_LIMIT_WAIT : hint;
    return d.compareTo(MAX_COOLDOWN) > 0 ? MAX_COOLDOWN : d;
  }

  /**
   * A 429 for one upstream model: that model waits out the provider's reset time, the provider's
   * other models stay in service. Null cools the whole provider.
   *
   * @return the cooldown when this started one (it was not cooling already), else null
   */
  public Duration rateLimited(String model, Duration wait) {
    Duration d = rateLimitCooldown(wait);
    lock.lock();
    try {
      boolean fresh = cooldownLeft(model, nanoClock.getAsLong()) <= 0;
      if (model == null) {
        coolDown(d, FailureClass.RATE_LIMITED);
      } else {
        coolModel(model, d, SkipReason.COOLING_DOWN);
      }
      return fresh ? d : null;
    } finally {
      lock.unlock();
    }
  }

  /** The cooldown left for the provider or {@code model} at {@code now}, breaker aside (locked). */
  private long cooldownLeft(String model, long now) {
    long wait = Math.max(0, cooldownUntil - now);
    ModelCooldowns.Cooldown own = modelCooldowns.of(model);
    return own == null ? wait : Math.max(wait, own.until() - now);
  }

  /** It answered that it does not serve this model: later requests for it skip it for a while. */
  public void modelNotServed(String model) {
    if (model == null) {
      return; // a misconfigured provider, not a model: nothing to remember per model
    }
    coolModel(model, NOT_SERVED_COOLDOWN, SkipReason.MODEL_NOT_SERVED);
  }

  /** 401/403 ({@link FailureClass#KEY_REJECTED}) or out of credit: neither heals in a second. */
  public boolean keyRejected(FailureClass why) {
    lock.lock();
    try {
      boolean fresh = cooldownUntil - nanoClock.getAsLong() <= 0 || cooldownClass != why;
      coolDown(AUTH_COOLDOWN, why);
      return fresh;
    } finally {
      lock.unlock();
    }
  }

  /** A transient failure of a request that did not hold the probe (see below). */
  public Duration failed(String errorClass) {
    return failed(errorClass, false);
  }

  /**
   * A transient failure: connect, timeout, reset, 5xx.
   *
   * @param probe whether the request held the half-open breaker's probe ({@link Admission#probe})
   * @return how long the breaker stays open when this opened it (or opened it again after a failed
   *     probe), else null
   */
  public Duration failed(String errorClass, boolean probe) {
    lock.lock();
    try {
      note(errorClass);
      consecutiveFailures++;
      if (breakerOpen && !probe) {
        // A request sent before the breaker opened, or while another one probes, failing now:
        // what opened it already counted this outage. Only a failed probe doubles the open time;
        // 32 requests in flight when a provider goes down would otherwise keep it out for 60 s
        // rather than 5, and a late failure would pass for the probe's verdict.
        return null;
      }
      if (breakerOpen || consecutiveFailures >= FAILURES_TO_OPEN) {
        openNanos =
            openNanos == 0 ? FIRST_OPEN.toNanos() : Math.min(openNanos * 2, MAX_OPEN.toNanos());
        breakerOpen = true;
        probing = false;
        openUntil = nanoClock.getAsLong() + openNanos;
        return Duration.ofNanos(openNanos);
      }
      return null;
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

  private void coolDown(Duration d, FailureClass why) {
    lock.lock();
    try {
      note(healthWord(why));
      long until = nanoClock.getAsLong() + d.toNanos();
      if (until - cooldownUntil > 0) {
        cooldownUntil = until;
        cooldownClass = why;
      }
      // The probe, if the request held it, is released by its reporter (HealthReports): a
      // request that did not hold it must not end another's.
    } finally {
      lock.unlock();
    }
  }

  private void coolModel(String model, Duration d, SkipReason reason) {
    lock.lock(); // reentrant: coolDown below takes it again
    try {
      long now = nanoClock.getAsLong();
      if (!modelCooldowns.mayKeep(model, now)) {
        // A name too long to keep, or too many names at once: a rate limit cools the provider as
        // a whole rather than the map growing; a "not served" is met again by the next request.
        if (reason == SkipReason.COOLING_DOWN) {
          coolDown(d, FailureClass.RATE_LIMITED);
        } else if (model.length() > ModelCooldowns.MAX_NAME) {
          note("model_not_served");
        }
        return;
      }
      note(reason == SkipReason.COOLING_DOWN ? "rate_limited" : "model_not_served");
      modelCooldowns.keep(model, now + d.toNanos(), reason);
    } finally {
      lock.unlock();
    }
  }

  /** The words /health has always used for a provider-wide cooldown. */
  private static String healthWord(FailureClass why) {
    return switch (why) {
      case RATE_LIMITED -> "rate_limited";
      case OUT_OF_CREDIT -> "billing";
      default -> "auth_failed";
    };
  }

  private void note(String errorClass) {
    failures++;
    lastError = errorClass;
    lastErrorEpochMillis = System.currentTimeMillis();
  }

  static long seconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }

  public ProviderSnapshot snapshot() {
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      State state;
      long left = 0;
      String reason = null;
      if (cooldownUntil - now > 0) {
        state = State.COOLING_DOWN;
        left = cooldownUntil - now;
        reason = healthWord(cooldownClass);
      } else if (breakerOpen && openUntil - now > 0) {
        state = State.OPEN;
        left = openUntil - now;
        reason = "failures";
      } else if (breakerOpen) {
        state = State.HALF_OPEN;
      } else {
        state = State.HEALTHY;
      }
      Map<String, Long> cooling = new TreeMap<>();
      Map<String, Long> notServed = new TreeMap<>();
      modelCooldowns.split(now, cooling, notServed);
      Availability availability =
          switch (state) {
            case COOLING_DOWN ->
                cooldownClass == FailureClass.RATE_LIMITED
                    ? Availability.COOLING_DOWN
                    : Availability.KEY_REJECTED;
            case OPEN, HALF_OPEN -> Availability.BREAKER_OPEN;
            // A 429 cools one model (OpenAI and Anthropic limit each model): that is the usual
            // way a provider is rate limited, so it shows here too.
            case HEALTHY -> cooling.isEmpty() ? Availability.AVAILABLE : Availability.COOLING_DOWN;
          };
      return new ProviderSnapshot(
          state,
          seconds(left),
          reason,
          lastError,
          lastErrorEpochMillis,
          successes,
          failures,
          cooling,
          notServed,
          availability);
    } finally {
      lock.unlock();
    }
  }
}
