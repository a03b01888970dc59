package dev.llmrouter.routing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>Kept in arrays of primitives, about 44 bytes an id, which the collector never traces. A map of
 * {@code String} ids held about 210 bytes an id in the old generation: at the default 100,000 ids,
 * 21 MB, and every young collection scanned the references its churn made from old to young objects
 * (young pauses of 7-9 ms instead of 1.5 at c=32; bench/README). An id is stored as a 128-bit hash,
 * keyed with a secret chosen at start, so an id that was never remembered matches one that was with
 * a chance of about 2^-128 even when it was chosen to.
 */
public final class ResponseAffinity {

  private static final int NONE = -1;
  private static final int FIRST_CAPACITY = 1024;

  private final LongSupplier clock;
  private final long seed1;
  private final long seed2;
  private int max;
  private long ttlNanos;

  // Entry i: its key (hashHi, hashLo), provider index, creation time and place in the use order.
  private long[] hashHi = new long[0];
  private long[] hashLo = new long[0];
  private long[] created = new long[0];
  private int[] provider = new int[0];
  private int[] older = new int[0]; // towards the least recently used
  private int[] newer = new int[0]; // towards the most recently used; the free list's link
  private int leastRecent = NONE;
  private int mostRecent = NONE;
  private int free = NONE; // entries given back, linked through newer
  private int used; // entries ever handed out: [0, used) are in the order or on the free list
  private int size;

  /** Open addressing, linear probing: entry index + 1, 0 for an empty slot. */
  private int[] slots = new int[0];

  private final List<String> providers = new ArrayList<>();
  private final Map<String, Integer> providerIndex = new HashMap<>();

  /**
   * @param clock nanoseconds, as {@link System#nanoTime}
   */
  public ResponseAffinity(int max, Duration ttl, LongSupplier clock) {
    this.clock = clock;
    SecureRandom random = new SecureRandom();
    this.seed1 = random.nextLong();
    this.seed2 = random.nextLong();
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
  public synchronized void remember(String id, String providerName) {
    long[] h = hash(id);
    long hi = h[0];
    long lo = h[1];
    int e = find(hi, lo);
    if (e == NONE) {
      if (size >= max) {
        remove(leastRecent);
      }
      e = allocate();
      hashHi[e] = hi;
      hashLo[e] = lo;
      insertSlot(e);
      size++;
    } else {
      unlink(e);
    }
    provider[e] = indexOf(providerName);
    created[e] = clock.getAsLong();
    linkMostRecent(e);
    trim();
  }

  /** The provider that created {@code id}, or null when unknown or forgotten. A use. */
  public synchronized String providerOf(String id) {
    long[] h = hash(id);
    int e = find(h[0], h[1]);
    if (e == NONE) {
      return null;
    }
    if (clock.getAsLong() - created[e] >= ttlNanos) {
      remove(e);
      return null;
    }
    unlink(e);
    linkMostRecent(e);
    return providers.get(provider[e]);
  }

  /** Forgets {@code id} (its provider deleted it). */
  public synchronized void forget(String id) {
    long[] h = hash(id);
    int e = find(h[0], h[1]);
    if (e != NONE) {
      remove(e);
    }
  }

  public synchronized int size() {
    return size;
  }

  /**
   * Drops the least recently used entries past the count, and the expired ones among the least
   * recently used (an old entry still in use is dropped when it is looked up).
   */
  private void trim() {
    long now = clock.getAsLong();
    while (leastRecent != NONE && (size > max || now - created[leastRecent] >= ttlNanos)) {
      remove(leastRecent);
    }
  }

  /** The id's two 64-bit halves, each from its own seed, in one pass over it. */
  private long[] hash(String id) {
    long a = seed1 ^ id.length();
    long b = seed2;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      a = (a ^ c) * 0x9E3779B97F4A7C15L;
      a ^= a >>> 29;
      b = Long.rotateLeft((b + c) * 0xC2B2AE3D27D4EB4FL, 31);
    }
    return new long[] {mix(a), mix(b ^ a)};
  }

  /** MurmurHash3's 64-bit finalizer: every input bit reaches every output bit. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }

  private int indexOf(String providerName) {
    Integer i = providerIndex.get(providerName);
    if (i == null) {
      i = providers.size();
      providers.add(providerName);
      providerIndex.put(providerName, i);
    }
    return i;
  }

  private int find(long hi, long lo) {
    if (slots.length == 0) {
      return NONE;
    }
    int mask = slots.length - 1;
    for (int s = (int) lo & mask; slots[s] != 0; s = (s + 1) & mask) {
      int e = slots[s] - 1;
      if (hashHi[e] == hi && hashLo[e] == lo) {
        return e;
      }
    }
    return NONE;
  }

  private void insertSlot(int e) {
    int mask = slots.length - 1;
    int s = (int) hashLo[e] & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = e + 1;
  }

  /** Takes {@code e} out of the table, the use order and the count; its index is reused. */
  private void remove(int e) {
    int mask = slots.length - 1;
    int s = (int) hashLo[e] & mask;
    while (slots[s] != e + 1) {
      s = (s + 1) & mask;
    }
    // Backward-shift deletion: later entries of the probe run move up, so no run has a hole.
    int hole = s;
    for (int next = (hole + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
      int home = (int) hashLo[slots[next] - 1] & mask;
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        slots[hole] = slots[next];
        hole = next;
      }
    }
    slots[hole] = 0;
    unlink(e);
    newer[e] = free;
    free = e;
    size--;
  }

  private int allocate() {
    if (free != NONE) {
      int e = free;
      free = newer[e];
      return e;
    }
    if (used == hashHi.length) {
      grow();
    }
    return used++;
  }

  /** Doubles the entries (up to the count limit) and rebuilds the table at twice their number. */
  private void grow() {
    int capacity = Math.max(FIRST_CAPACITY, hashHi.length * 2);
    capacity = (int) Math.min(capacity, Math.max((long) max, hashHi.length + 1L));
    hashHi = Arrays.copyOf(hashHi, capacity);
    hashLo = Arrays.copyOf(hashLo, capacity);
    created = Arrays.copyOf(created, capacity);
    provider = Arrays.copyOf(provider, capacity);
    older = Arrays.copyOf(older, capacity);
    newer = Arrays.copyOf(newer, capacity);
    slots = new int[Integer.highestOneBit(Math.max(capacity, 8) * 2 - 1) * 2];
    for (int e = mostRecent; e != NONE; e = older[e]) {
      insertSlot(e);
    }
  }

  private void unlink(int e) {
    int o = older[e];
    int n = newer[e];
    if (o == NONE) {
      leastRecent = n;
    } else {
      newer[o] = n;
    }
    if (n == NONE) {
      mostRecent = o;
    } else {
      older[n] = o;
    }
  }

  private void linkMostRecent(int e) {
    older[e] = mostRecent;
    newer[e] = NONE;
    if (mostRecent == NONE) {
      leastRecent = e;
    } else {
      newer[mostRecent] = e;
    }
    mostRecent = e;
  }
}
