package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.wire.SseFraming;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * An open upstream response body read event by event, under a deadline the {@link StreamWatchdog}
 * enforces: first the time to the first event, then the idle time between events. Closing it aborts
 * the upstream exchange, so no orphan stream keeps consuming tokens.
 */
public final class UpstreamStream implements AutoCloseable {

  private final InputStream in;
  private final SseFraming.Reader reader;
  private final StreamWatchdog watchdog;
  private final StreamWatchdog.Watched watch = this::tick;
  private volatile long deadlineNanos;
  private volatile long idleNanos;
  private volatile boolean timedOut;

  /** Whether the deadline runs: always before the first event, else while {@link #next} waits. */
  private volatile boolean waiting = true;

  private volatile boolean closed;

  /**
   * @param maxEventBytes the largest event read (the stream's {@code Operation.maxEventBytes}), its
   *     bytes past 1 MiB taking room in {@code memory}
   */
  UpstreamStream(
      InputStream in,
      StreamWatchdog watchdog,
      long deadlineNanos,
      long maxEventBytes,
      MemoryBudget.Ledger memory) {
    this.in = in;
    this.reader = new SseFraming.Reader(in, maxEventBytes, memory::reserve, memory::release);
    this.watchdog = watchdog;
    this.deadlineNanos = deadlineNanos;
    watchdog.add(watch);
  }

  /**
   * The next event, or null at the end of the stream. Once {@link #useIdleTimeout} has switched to
   * the idle deadline, it runs only while this waits: the time the caller spends between two calls
   * (writing a large event to a slow client) is not the upstream's silence, and must not cut a
   * healthy stream.
   *
   * @throws IOException when the stream broke, was closed, or passed its deadline ({@link
   *     #timedOut()} tells which)
   */
  public SseFraming.Event next() throws IOException {
    if (idleNanos > 0) {
      deadlineNanos = System.nanoTime() + idleNanos;
      waiting = true;
    }
    try {
      return reader.next();
    } finally {
      waiting = idleNanos <= 0;
    }
  }

  /**
   * Before the first event: the upstream has sent an opening event ({@code message_start}, a ping),
   * so the wait for its first real one is allowed at least {@code idle} from now, as a committed
   * stream's silence would be, but never past the request's deadline.
   */
  void opened(Duration idle, long requestDeadlineNanos) {
    long atLeast = System.nanoTime() + idle.toNanos();
    if (atLeast - requestDeadlineNanos > 0) {
      atLeast = requestDeadlineNanos;
    }
    if (atLeast - deadlineNanos > 0) {
      deadlineNanos = atLeast;
    }
  }

  /** From now on, the deadline is this long after the latest event, counted while waiting. */
  void useIdleTimeout(Duration idle) {
    idleNanos = idle.toNanos();
    waiting = false;
  }

  /**
   * Reads the rest of the body (an error response), still under the deadline, up to {@code limit}
   * bytes, each reserved in {@code memory}.
   *
   * @throws CappedBody.TooLarge past the limit, {@link CappedBody.OverBudget} past the budget;
   *     nothing more is read
   */
  byte[] readAll(long limit, MemoryBudget.Ledger memory) throws IOException {
    return Bodies.readCapped(in, limit, memory);
  }

  /** Whether the watchdog cut the stream for passing its deadline. */
  public boolean timedOut() {
    return timedOut;
  }

  private boolean tick(long now) {
    if (closed) {
      return false;
    }
    if (waiting && now - deadlineNanos > 0) {
      timedOut = true;
      close();
      return false;
    }
    return true;
  }

  /** Aborts the upstream exchange (if still open) and stops watching. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watchdog.remove(watch);
    try {
      in.close();
    } catch (IOException e) {
      // Closing to abort: a failure here changes nothing for the client.
    }
  }
}
