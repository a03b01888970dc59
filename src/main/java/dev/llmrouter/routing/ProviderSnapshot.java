package dev.llmrouter.routing;

import java.util.Locale;
import java.util.Map;

/**
 * A moment's view of one provider's {@link ProviderHealth}, for /health and metrics.
 *
 * @param reason why it cools down or is open: {@code rate_limited}, {@code auth_failed}, {@code
 *     billing}, {@code failures}; null when healthy
 * @param modelsCoolingDown upstream model IDs rate limited on their own, with seconds left
 * @param modelsNotServed upstream model IDs it said it does not serve, with seconds left
 * @param availability what it can do now; a model it does not serve is no limit of its own
 */
public record ProviderSnapshot(
    ProviderHealth.State state,
    long secondsLeft,
    String reason,
    String lastError,
    long lastErrorEpochMillis,
    long successes,
    long failures,
    Map<String, Long> modelsCoolingDown,
    Map<String, Long> modelsNotServed,
    Availability availability) {

  /**
   * Whether a request can be sent to it now: not cooling down as a whole, not rejected, breaker not
   * open (a half-open one takes the next request as its probe).
   */
  public boolean takesRequests() {
    return state == ProviderHealth.State.HEALTHY || state == ProviderHealth.State.HALF_OPEN;
  }

  /**
   * The state /health shows: a provider with a rate-limited model is {@code cooling_down}, as its
   * {@link #availability} says (a 429 cools one model: the usual way a provider is rate limited),
   * though its other models still serve; else its own state.
   */
  public String shownState() {
    return modelsCooling() ? "cooling_down" : state.name().toLowerCase(Locale.ROOT);
  }

  /** Seconds until the shown state ends: for cooling models, until the first is back. */
  public long shownSecondsLeft() {
    return modelsCooling()
        ? modelsCoolingDown.values().stream().mapToLong(Long::longValue).min().orElse(0)
        : secondsLeft;
  }

  /** Why it is in the shown state; null when healthy. */
  public String shownReason() {
    return modelsCooling() ? "rate_limited" : reason;
  }

  private boolean modelsCooling() {
    return state == ProviderHealth.State.HEALTHY && !modelsCoolingDown.isEmpty();
  }
}
