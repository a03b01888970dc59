package dev.llmrouter.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters per endpoint and provider, each pair holding a fixed row of adders indexed by an enum's
 * ordinal. Counting looks the row up by the two strings the caller already has: no label string is
 * built and nothing is allocated, except the first time a pair is seen. Labels are rendered per
 * scrape only.
 */
final class ProviderCounters {

  /** What one row's adder at {@code index} is called in the exposition, or null to leave it out. */
  @FunctionalInterface
  interface Labels {
    String of(int index);
  }

  private final int width;
  private final Map<String, Map<String, LongAdder[]>> rows = new ConcurrentHashMap<>();

  ProviderCounters(int width) {
    this.width = width;
  }

  /** The row of {@code (endpoint, provider)}, created on first use. */
  LongAdder[] row(String endpoint, String provider) {
    Map<String, LongAdder[]> byProvider = rows.get(endpoint);
    if (byProvider == null) {
      byProvider = rows.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
    }
    LongAdder[] row = byProvider.get(provider);
    if (row == null) {
      row = byProvider.computeIfAbsent(provider, p -> newRow(width));
    }
    return row;
  }

  private static LongAdder[] newRow(int width) {
    LongAdder[] row = new LongAdder[width];
    for (int i = 0; i < width; i++) {
      row[i] = new LongAdder();
    }
    return row;
  }

  /**
   * Appends {@code name{endpoint="..",provider="..",<labels>} value} for every counter, in label
   * order; a counter still at zero only when {@code zeros}.
   */
  void render(StringBuilder out, String name, Labels labels, boolean zeros) {
    new TreeMap<>(rows)
        .forEach(
            (endpoint, byProvider) ->
                new TreeMap<>(byProvider)
                    .forEach(
                        (provider, row) -> {
                          for (int i = 0; i < row.length; i++) {
                            long value = row[i].sum();
                            String extra = labels.of(i);
                            if (extra == null || (value == 0 && !zeros)) {
                              continue;
                            }
                            out.append(name)
                                .append("{endpoint=\"")
                                .append(endpoint)
                                .append("\",provider=\"")
                                .append(Metrics.escape(provider))
                                .append('"');
                            if (!extra.isEmpty()) {
                              out.append(',').append(extra);
                            }
                            out.append("} ").append(value).append('\n');
                          }
                        }));
  }
}
