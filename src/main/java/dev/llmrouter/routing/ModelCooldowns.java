package dev.llmrouter.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * One provider's cooldowns per upstream model: a 429 for a model (OpenAI and Anthropic limit each
 * model apart) or its answer that it does not serve the model. Bounded, since clients choose the
 * names a provider without {@code models} passes on. Not thread-safe: {@link ProviderHealth} holds
 * its lock around every call.
 */
final class ModelCooldowns {

  /** The most model names kept at once; past it a rate limit cools the provider as a whole. */
  static final int MAX_MODELS = 1024;

  /**
   * The longest model name kept: real ids are short (OpenRouter's longest are under 100
   * characters), and each kept name is held until its cooldown ends and shown by /health. A client
   * can send a megabyte of one.
   */
  static final int MAX_NAME = 256;

  record Cooldown(long until, SkipReason reason) {}

  private final Map<String, Cooldown> byModel = new HashMap<>();

  /** {@code model}'s cooldown, over or not; null when there is none (or no model). */
  Cooldown of(String model) {
    return model == null ? null : byModel.get(model);
  }

  /** Forgets {@code model}'s cooldown when it is over at {@code now}. */
  void forgetIfOver(String model, long now) {
    Cooldown own = of(model);
    if (own != null && own.until() - now <= 0) {
      byModel.remove(model);
    }
  }

  /** Whether a cooldown for {@code model} can be kept: not too long a name, and room for it. */
  boolean mayKeep(String model, long now) {
    if (model.length() > MAX_NAME) {
      return false;
    }
    if (byModel.size() >= MAX_MODELS) {
      byModel.values().removeIf(c -> c.until() - now <= 0);
    }
    return byModel.size() < MAX_MODELS || byModel.containsKey(model);
  }

  /** Keeps the later of {@code model}'s cooldowns (see {@link #mayKeep} first). */
  void keep(String model, long until, SkipReason reason) {
    byModel.merge(
        model,
        new Cooldown(until, reason),
        (old, neu) -> neu.until() - old.until() > 0 ? neu : old);
  }

  /**
   * The cooldowns still running at {@code now}, in seconds left, into {@code cooling} (rate limits)
   * and {@code notServed}; the ones over are forgotten.
   */
  void split(long now, Map<String, Long> cooling, Map<String, Long> notServed) {
    byModel.values().removeIf(c -> c.until() - now <= 0);
    byModel.forEach(
        (model, c) ->
            (c.reason() == SkipReason.COOLING_DOWN ? cooling : notServed)
                .put(model, ProviderHealth.seconds(c.until() - now)));
  }
}
