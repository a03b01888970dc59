package dev.llmrouter.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One budget for every body the router holds at once ({@code server.max_buffered_bytes}): request
 * bodies being read or held, upstream bodies being buffered, and the log's copies of bodies and
 * assembled streams. Per-request caps alone do not bound memory: 24 concurrent 8 MiB uploads, or a
 * few upstreams that send endless bodies, would each stay under their cap and still fill the heap.
 *
 * <p>Each request takes a {@link Ledger}; what it reserves is given back when its log record has
 * been written (the log holds the bodies until then), or earlier for what is dropped. Thread-safe.
 */
public final class MemoryBudget {

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public MemoryBudget(long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }

  /** Bytes reserved right now, across all requests. */
  public long used() {
    return used.get();
  }

  /** A new account for one request. */
  public Ledger ledger() {
    return new Ledger(this);
  }

  private boolean tryReserve(long n) {
    while (true) {
      long now = used.get();
      if (now + n > limit) {
        return false;
      }
      if (used.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  private void release(long n) {
    used.addAndGet(-n);
  }

  /**
   * What one request holds of the budget. Reserve as bytes arrive; everything goes back at close.
   */
  public static final class Ledger {
    private final MemoryBudget budget;
    private long held;
    private boolean closed;

    private Ledger(MemoryBudget budget) {
      this.budget = budget;
    }

    /** Takes {@code n} bytes; false (and nothing taken) when the budget has no room for them. */
    public synchronized boolean reserve(long n) {
      if (n <= 0) {
        return true;
      }
      if (closed || !budget.tryReserve(n)) {
        return false;
      }
      held += n;
      return true;
    }

    /** Gives back {@code n} bytes of what this request reserved (a body it dropped). */
    public synchronized void release(long n) {
      long back = Math.min(n, held);
      held -= back;
      budget.release(back);
    }

    /** Gives back everything; later reservations fail. Idempotent. */
    public synchronized void close() {
      closed = true;
      budget.release(held);
      held = 0;
    }

    /**
     * Whether {@code n} more bytes would fit right now, without taking them: a declared body that
     * cannot fit is refused before it is read, though it is reserved only as it arrives.
     */
    public boolean wouldFit(long n) {
      return budget.used() + n <= budget.limit();
    }

    /** What this request holds now. */
    public synchronized long held() {
      return held;
    }
  }
}
