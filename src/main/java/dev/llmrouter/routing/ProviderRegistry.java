package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The health of every provider, kept across requests and config reloads: a provider keeps its
 * cooldown and breaker while its name and base URL stay the same.
 */
public final class ProviderRegistry {

  private record Key(String name, String baseUrl) {}

  private final Map<Key, ProviderHealth> health = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  public ProviderRegistry() {
    this(System::nanoTime);
  }

  /** With an injected clock, so tests can move time instead of waiting. */
  public ProviderRegistry(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  public ProviderHealth of(ProviderConfig provider) {
    return health.computeIfAbsent(
        new Key(provider.name(), provider.baseUrl().toString()),
        k -> new ProviderHealth(nanoClock));
  }

  long now() {
    return nanoClock.getAsLong();
  }
}
