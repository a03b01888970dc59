package dev.llmrouter.routing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The walks' waits in real time (a backoff, a cooling provider), cut short once the server stops if
 * they would end past its grace: such a request is then answered at once instead of holding the
 * drain until the grace runs out.
 */
final class Pause implements FallbackExecutor.Sleeper {

  private final CountDownLatch stopping = new CountDownLatch(1);

  /** When the stop's grace ends ({@link System#nanoTime}); read once {@link #stopping} is down. */
  private volatile long graceEnd;

  void stopWaiting(long graceEnd) {
    this.graceEnd = graceEnd;
    stopping.countDown();
  }

  /** Sleeps for {@code wait}; false when interrupted, or the stop cut it short. */
  @Override
  public boolean sleep(Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    try {
      if (stopping.await(wait.toNanos(), TimeUnit.NANOSECONDS) && end - graceEnd > 0) {
        return false;
      }
      long left = end - System.nanoTime(); // stopping, but this wait ends within the grace
      if (left > 0) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
