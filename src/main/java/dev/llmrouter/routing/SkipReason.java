package dev.llmrouter.routing;

import java.util.Locale;

/** Why a provider was passed over without a call. */
public enum SkipReason {
  /** It, or its model, waits out a rate limit. */
  COOLING_DOWN,
  /** Repeated transient failures opened its circuit breaker (or another request probes it). */
  BREAKER_OPEN,
  /** It answered recently that it does not serve this model. */
  MODEL_NOT_SERVED,
  /** Its key was rejected or is out of credit. */
  KEY_REJECTED,
  /** It speaks the other API, and this request asks for what that API cannot express. */
  NOT_TRANSLATABLE;

  public String logName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
