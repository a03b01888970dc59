package dev.llmrouter.routing;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which provider created each Responses API response the router relayed. A response is state kept
 * by its provider ({@code previous_response_id}, {@code GET /responses/{id}}): only that provider
 * can continue or show it, so requests about it go there and nowhere else.
 *
 * <p>Bounded in count (least recently used dropped first; a lookup counts as a use) and in age
 * (entries older than the time to live are dropped). In memory only: after a restart an id is
 * unknown, and requests about it take the normal walk. Thread-safe.
 */
public final class ResponseAffinity {

  private record Entry(String provider, long createdNanos) {}

  private final LongSupplier clock;
  private final LinkedHashMap<String, Entry> ids = new LinkedHashMap<>(1024, 0.75f, true);
  private int max;
  private long ttlNanos;

  /**
   * @param clock nanoseconds, as {@link System#nanoTime}
   */
  public ResponseAffinity(int max, Duration ttl, LongSupplier clock) {
    this.clock = clock;
    limits(max, ttl);
  }

  public ResponseAffinity(int max, Duration ttl) {
    this(max, ttl, System::nanoTime);
  }

  /** New limits (a reload): entries past them go at once. */
  public synchronized void limits(int newMax, Duration ttl) {
    if (newMax < 1 || !ttl.isPositive()) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.max = newMax;
    this.ttlNanos = ttl.toNanos();
    trim();
  }

  /** Remembers that {@code provider} created the response {@code id}. */
  public synchronized void remember(String id, String provider) {
    ids.put(id, new Entry(provider, clock.getAsLong()));
    trim();
  }

  /** The provider that created {@code id}, or null when unknown or forgotten. A use. */
  public synchronized String providerOf(String id) {
    Entry e = ids.get(id);
    if (e == null) {
      return null;
    }
    if (clock.getAsLong() - e.createdNanos() >= ttlNanos) {
      ids.remove(id);
      return null;
    }
    return e.provider();
  }

  /** Forgets {@code id} (its provider deleted it). */
  public synchronized void forget(String id) {
    ids.remove(id);
  }

  public synchronized int size() {
    return ids.size();
  }

  /**
   * Drops the least recently used entries past the count, and the expired ones among the least
   * recently used (an old entry still in use is dropped when it is looked up).
   */
  private void trim() {
    long now = clock.getAsLong();
    Iterator<Map.Entry<String, Entry>> it = ids.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      if (ids.size() > max || now - e.getValue().createdNanos() >= ttlNanos) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
