package dev.llmrouter.upstream;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One platform thread that enforces the deadlines of every open stream. The JDK client's request
 * timeout stops at the response headers (JDK-NOTES), and a thread blocked reading a silent stream
 * cannot time itself out; a tick here can, by closing what that thread reads from.
 */
public final class StreamWatchdog implements AutoCloseable {

  /** Ticks this often: the precision of every stream deadline and keepalive. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Something with a deadline; {@link #tick} returns false once it needs no more watching. */
  @FunctionalInterface
  public interface Watched {
    boolean tick(long nowNanos);
  }

  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;

  public StreamWatchdog() {
    thread = Thread.ofPlatform().name("stream-watchdog").daemon(true).start(this::run);
  }

  /** Whether the watchdog thread still runs. */
  boolean alive() {
    return thread.isAlive() || !running;
  }

  public void add(Watched w) {
    watched.add(w);
  }

  public void remove(Watched w) {
    watched.remove(w);
  }

  private void run() {
    while (running) {
      LockSupport.parkNanos(TICK_NANOS);
      long now = System.nanoTime();
      // A concurrent set's iterator is weakly consistent: removing through it is safe.
      for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
        Watched w = it.next();
        boolean keep;
        try {
          keep = w.tick(now);
        } catch (Throwable t) { // an OutOfMemoryError included: this thread must outlive it
          keep = false; // a broken watcher must not stop the others
        }
        if (!keep) {
          it.remove();
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
  }
}
