package dev.llmrouter.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model names one provider serves ({@code models} in the config) and the model ID it knows each
 * by. {@link #ANY} serves every name unchanged, as a provider without {@code models} does.
 *
 * <p>A name that ends in {@code *} is a prefix pattern; a {@code *} in its model ID is replaced by
 * the part the pattern matched ({@code "*" -> "openai/*"} sends {@code gpt-4o} as {@code
 * openai/gpt-4o}). An exact name beats a pattern, a longer prefix a shorter one.
 */
public final class ModelMap {

  /** One declared name: what clients ask for, and the provider's own ID for it. */
  public record Entry(String alias, String upstream) {
    public Entry {
      String problem = problem(alias, upstream);
      if (problem != null) {
        throw new IllegalArgumentException("models: " + problem);
      }
    }

    boolean isPattern() {
      return alias.endsWith("*");
    }
  }

  /** Serves every model under the name the client used. */
  public static final ModelMap ANY = new ModelMap(List.of());

  private final List<Entry> entries;
  private final Map<String, String> exact = new HashMap<>();

  /** Patterns by prefix, longest first. */
  private final List<Entry> patterns = new ArrayList<>();

  private ModelMap(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    for (Entry e : this.entries) {
      if (e.isPattern()) {
        patterns.add(e);
      } else if (exact.putIfAbsent(e.alias(), e.upstream()) != null) {
        throw new IllegalArgumentException("models: duplicate name " + e.alias());
      }
    }
    patterns.sort(Comparator.comparingInt((Entry e) -> e.alias().length()).reversed());
  }

  /** A provider that serves exactly these names (at least one). */
  public static ModelMap of(List<Entry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("models: must not be empty");
    }
    return new ModelMap(entries);
  }

  /** Serves these names under the same IDs: the array form, {@code ["gpt-4o", "claude-*"]}. */
  public static ModelMap names(String... names) {
    List<Entry> entries = new ArrayList<>();
    for (String n : names) {
      entries.add(new Entry(n, n));
    }
    return of(entries);
  }

  /** Whether the provider serves every model (no {@code models} declared). */
  public boolean servesAny() {
    return entries.isEmpty();
  }

  /**
   * The provider's model ID for the name a client asked for, or null when this provider does not
   * serve it. With {@link #ANY} the name comes back unchanged (null too for a request without one).
   */
  public String upstreamFor(String requested) {
    if (entries.isEmpty()) {
      return requested;
    }
    if (requested == null) {
      return null;
    }
    String id = exact.get(requested);
    if (id != null) {
      return id;
    }
    for (Entry p : patterns) {
      String prefix = p.alias().substring(0, p.alias().length() - 1);
      if (requested.startsWith(prefix)) {
        return p.upstream().replace("*", requested.substring(prefix.length()));
      }
    }
    return null;
  }

  /** The declared names in the order written, patterns included. */
  public List<Entry> entries() {
    return entries;
  }

  /** The exact names clients can ask for, in the order written: what model lists show. */
  public List<String> listedNames() {
    List<String> names = new ArrayList<>();
    for (Entry e : entries) {
      if (!e.isPattern()) {
        names.add(e.alias());
      }
    }
    return names;
  }

  /**
   * Why a name and ID cannot be declared, or null when they can: both non-empty, without white
   * space at either end or control characters, at most one {@code *} in each, a name's only at its
   * end, and an ID's only when its name has one.
   */
  static String problem(String alias, String upstream) {
    if (alias == null || alias.isEmpty() || upstream == null || upstream.isEmpty()) {
      return "names and model IDs must be non-empty strings";
    }
    if (!alias.equals(alias.strip())
        || !upstream.equals(upstream.strip())
        || alias.chars().anyMatch(Character::isISOControl)
        || upstream.chars().anyMatch(Character::isISOControl)) {
      // A pasted "gpt-4o " never matches what a client sends: every request would get a 404.
      return "names and model IDs must not start or end with white space or hold control"
          + " characters";
    }
    int star = alias.indexOf('*');
    if (star >= 0 && star != alias.length() - 1) {
      return "'*' may appear only at the end of a name";
    }
    if (upstream.indexOf('*') != upstream.lastIndexOf('*')) {
      return "at most one '*' per model ID";
    }
    if (star < 0 && upstream.indexOf('*') >= 0) {
      return "a '*' in a model ID needs a '*' at the end of its name";
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelMap m && entries.equals(m.entries);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entries);
  }

  @Override
  public String toString() {
    return servesAny() ? "any model" : entries.toString();
  }
}
