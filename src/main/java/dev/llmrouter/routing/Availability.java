package dev.llmrouter.routing;

import java.util.Locale;

/**
 * What a provider can do now ({@link ProviderSnapshot#availability()}), in the words of the {@code
 * llm_router_provider_state} gauge: the four an operator acts on differently (wait, look at the
 * provider, fix the key).
 */
public enum Availability {
  /** Takes every request. */
  AVAILABLE,
  /** Rate limited: the whole provider, or at least one of its models. */
  COOLING_DOWN,
  /** Its breaker is open after repeated failures, or half-open: one request probes it. */
  BREAKER_OPEN,
  /** Its key was refused (401, 403) or is out of credit: skipped until its cooldown ends. */
  KEY_REJECTED;

  /** As the metrics label says it: {@code available}, {@code breaker_open}... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
