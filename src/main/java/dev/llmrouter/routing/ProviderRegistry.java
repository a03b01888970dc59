package dev.llmrouter.routing;

import dev.llmrouter.config.Auth;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.ProviderHeader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The health of every provider, kept across requests and config reloads: a provider keeps its
 * cooldowns and breaker while its name, base URL, key, auth style and headers stay the same. A
 * change to any of those is a fix (a corrected key, a new URL) and starts with fresh state.
 */
public final class ProviderRegistry {

  private record Key(
      String name, String baseUrl, String apiKey, Auth auth, List<ProviderHeader> headers) {}

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
        new Key(
            provider.name(),
            provider.baseUrl().toString(),
            provider.apiKey(),
            provider.auth(),
            provider.headers()),
        k -> new ProviderHealth(nanoClock));
  }

  long now() {
    return nanoClock.getAsLong();
  }
}
