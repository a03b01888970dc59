package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.upstream.StreamWatchdog;
import java.util.concurrent.TimeUnit;

/**
 * Ends the connection of a client that takes nothing while the router writes to it. A write blocks
 * once the client's receive window and the socket's buffers are full, and the JDK server has no
 * write timeout: a client that stopped reading (a suspended process, a stopped container) would
 * hold its thread, its in-flight slot and its share of the memory budget for as long as it keeps
 * the connection open. A slice of an answer that has not gone out after {@link #LIMIT_NANOS} (as
 * nginx's {@code send_timeout}, 60 s between two successive writes) closes the connection: the
 * blocked write fails, and the request ends as the client's cancel.
 *
 * <p>Checked by the stream watchdog's tick ({@link #tick}); closing needs the connection's channel,
 * reached as {@link ClientWatch} reaches it (where it cannot be, nothing is cut).
 */
final class WriteStall implements StreamWatchdog.Watched {

  static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final HttpExchange exchange;
  private final long limitNanos;

  /** When the slice being written started; 0 while nothing is being written. */
  private volatile long writingSince;

  private volatile boolean over;
  private volatile boolean cut;

  WriteStall(HttpExchange exchange, long limitNanos) {
    this.exchange = exchange;
    this.limitNanos = limitNanos;
  }

  /** A slice is about to be written. */
  void writing() {
    long now = System.nanoTime();
    writingSince = now == 0 ? 1 : now;
  }

  /** The slice went out. */
  void wrote() {
    writingSince = 0;
  }

  /** No more writes: the watchdog may drop it. */
  void over() {
    over = true;
  }

  /** Whether the connection was closed for a stalled write. */
  boolean cut() {
    return cut;
  }

  @Override
  public boolean tick(long now) {
    if (over) {
      return false;
    }
    long since = writingSince;
    if (since != 0 && now - since > limitNanos) {
      // Where the connection cannot be reached nothing is cut: the write may still go on.
      cut = ClientWatch.close(exchange);
      return false;
    }
    return true;
  }
}
