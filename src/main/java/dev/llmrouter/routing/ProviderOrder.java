package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The order one request tries its providers in: strictly by priority, and within one priority a
 * weighted rotation, so two keys at priority 1 share the load and double the rate-limit headroom.
 * Providers in cooldown are skipped later, by the walk, so the rotation spreads over the rest.
 */
final class ProviderOrder {

  /** One counter per group of equal priority, keyed by the group's first provider. */
  private final Map<ProviderConfig, AtomicLong> counters = new ConcurrentHashMap<>();

  /** The providers (already sorted by priority) in the order this request should try them. */
  List<ProviderConfig> arrange(List<ProviderConfig> byPriority) {
    if (!hasTie(byPriority)) {
      return byPriority; // the common case costs nothing
    }
    List<ProviderConfig> out = new ArrayList<>(byPriority.size());
    int start = 0;
    while (start < byPriority.size()) {
      int end = start + 1;
      while (end < byPriority.size()
          && byPriority.get(end).priority() == byPriority.get(start).priority()) {
        end++;
      }
      rotate(byPriority.subList(start, end), out);
      start = end;
    }
    return out;
  }

  private void rotate(List<ProviderConfig> group, List<ProviderConfig> out) {
    if (group.size() == 1) {
      out.add(group.get(0));
      return;
    }
    int total = 0;
    for (ProviderConfig p : group) {
      total += p.weight();
    }
    long turn = counters.computeIfAbsent(group.get(0), k -> new AtomicLong()).getAndIncrement();
    long slot = Math.floorMod(turn, total);
    int first = 0;
    for (int i = 0; i < group.size(); i++) {
      slot -= group.get(i).weight();
      if (slot < 0) {
        first = i;
        break;
      }
    }
    for (int i = 0; i < group.size(); i++) {
      out.add(group.get((first + i) % group.size()));
    }
  }

  private static boolean hasTie(List<ProviderConfig> providers) {
    for (int i = 1; i < providers.size(); i++) {
      if (providers.get(i).priority() == providers.get(i - 1).priority()) {
        return true;
      }
    }
    return false;
  }
}
