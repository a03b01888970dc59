package dev.llmrouter.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads one JSON object against a fixed set of known keys. Properties are visited in document
 * order, so problems come out in the order a user reads the file; unknown keys are problems (a typo
 * such as {@code tiemout} would otherwise silently fall back to a default).
 *
 * <p>Usage: declare every key with {@link #key}, call {@link #read()} once, then take the values
 * from the returned {@link Slot}s.
 */
final class ObjectReader {

  /** Up to this many single-character edits, an unknown key gets a "did you mean" hint. */
  private static final int MAX_HINT_DISTANCE = 2;

  private final String path;
  private final JsonNode object;
  private final ParseContext ctx;
  private final Map<String, Slot<?>> slots = new LinkedHashMap<>();
  private final Set<String> ignored = new HashSet<>();

  ObjectReader(String path, JsonNode object, ParseContext ctx) {
    if (!object.isObject()) {
      throw new IllegalArgumentException(path + " is not an object");
    }
    this.path = path;
    this.object = object;
    this.ctx = ctx;
  }

  <T> Slot<T> key(String name, Converter<T> converter) {
    Slot<T> slot = new Slot<>(ParseContext.child(path, name), converter, ctx);
    slots.put(name, slot);
    return slot;
  }

  /** A key that is allowed but has no meaning for the router (e.g. {@code $schema}). */
  void ignore(String name) {
    ignored.add(name);
  }

  void read() {
    for (Map.Entry<String, JsonNode> property : object.properties()) {
      String key = property.getKey();
      Slot<?> slot = slots.get(key);
      if (slot != null) {
        slot.accept(property.getValue());
      } else if (!ignored.contains(key)) {
        ctx.problem(ParseContext.child(path, key), "unknown key" + hint(key));
      }
    }
  }

  /**
   * Names other tools and habits use for our keys, each with our keys in the order they are tried:
   * the first one known at the place of the unknown key is suggested. Too far from ours for the
   * edit distance to find ({@code retries} is 4 edits from {@code max_retries}).
   */
  private static final Map<String, List<String>> SYNONYMS =
      Map.ofEntries(
          Map.entry("retries", List.of("max_retries")),
          Map.entry("num_retries", List.of("max_retries")),
          Map.entry("retry", List.of("max_retries")),
          Map.entry("max_attempts", List.of("max_retries")),
          Map.entry("timeout_seconds", List.of("timeout", "request_timeout")),
          Map.entry("timeout_secs", List.of("timeout", "request_timeout")),
          Map.entry("timeout_s", List.of("timeout", "request_timeout")),
          Map.entry("request_timeout", List.of("timeout")),
          Map.entry("timeout", List.of("request_timeout")),
          Map.entry("idle_timeout", List.of("stream_idle_timeout")),
          Map.entry("key", List.of("api_key")),
          Map.entry("token", List.of("api_key")),
          Map.entry("api_token", List.of("api_key")),
          Map.entry("url", List.of("base_url")),
          Map.entry("endpoint", List.of("base_url")),
          Map.entry("api_base", List.of("base_url")),
          Map.entry("keys", List.of("api_keys")),
          Map.entry("address", List.of("host")),
          Map.entry("bind", List.of("host")),
          Map.entry("directory", List.of("dir")),
          Map.entry("path", List.of("dir")),
          Map.entry("log_dir", List.of("dir")));

  private String hint(String unknown) {
    String lower = unknown.toLowerCase(Locale.ROOT);
    for (String synonym : SYNONYMS.getOrDefault(lower, List.of())) {
      if (slots.containsKey(synonym)) {
        return " (did you mean '" + synonym + "'?)";
      }
    }
    String best = null;
    int bestDistance = MAX_HINT_DISTANCE + 1;
    for (String known : slots.keySet()) {
      int d = distance(lower, known);
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  /**
   * Edit distance where insertions, deletions, substitutions and swaps of two adjacent characters
   * each cost 1 (optimal string alignment), so {@code tiemout} is 1 away from {@code timeout}.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          best = Math.min(best, d[i - 2][j - 2] + 1);
        }
        d[i][j] = best;
      }
    }
    return d[a.length()][b.length()];
  }

  /** The outcome for one declared key: absent, present but invalid (reported), or a value. */
  static final class Slot<T> {
    private final String path;
    private final Converter<T> converter;
    private final ParseContext ctx;
    private boolean present;
    private Optional<T> value = Optional.empty();

    private Slot(String path, Converter<T> converter, ParseContext ctx) {
      this.path = path;
      this.converter = converter;
      this.ctx = ctx;
    }

    private void accept(JsonNode json) {
      present = true;
      value = converter.convert(path, json, ctx);
    }

    boolean present() {
      return present;
    }

    /** The value; empty when absent or invalid. */
    Optional<T> value() {
      return value;
    }

    /**
     * The value, or {@code fallback} when absent or invalid. Invalid values were already reported,
     * so the fallback only keeps the half-built config well-formed until the problems are thrown.
     */
    T orElse(T fallback) {
      return value.orElse(fallback);
    }

    /** The value; when the key is absent this reports {@code "<path>: required"}. */
    Optional<T> required() {
      if (!present) {
        ctx.problem(path, "required");
      }
      return value;
    }
  }
}
