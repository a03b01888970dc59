package dev.llmrouter.routing;

import dev.llmrouter.config.Auth;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.ProviderHeader;
import dev.llmrouter.config.RouterConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    return health.computeIfAbsent(key(provider), k -> new ProviderHealth(nanoClock));
  }

  /**
   * Forgets every provider {@code config} no longer has as it is: one removed, or one whose name,
   * URL, key, auth or headers changed. Kept, such a state would come back with the old value: a key
   * changed back to an earlier one would find that key's cooldown or open breaker again, and a
   * provider removed and added again its old state, where a change promises a fresh start.
   */
  public void retain(RouterConfig config) {
    Set<Key> current = new HashSet<>();
    for (List<ProviderConfig> endpoint : List.of(config.openai(), config.anthropic())) {
      for (ProviderConfig p : endpoint) {
        current.add(key(p));
      }
    }
    health.keySet().retainAll(current);
  }

  private static Key key(ProviderConfig provider) {
    return new Key(
        provider.name(),
        provider.baseUrl().toString(),
        provider.apiKey(),
        provider.auth(),
        provider.headers());
  }

  long now() {
    return nanoClock.getAsLong();
  }
}
