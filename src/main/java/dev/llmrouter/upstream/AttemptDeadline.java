package dev.llmrouter.upstream;

/**
 * The deadline of one blocking exchange, kept by the {@link StreamWatchdog}: at the deadline it
 * interrupts the thread that waits in {@code HttpClient.send}, and the JDK client cancels the
 * exchange on that interrupt. The client's own request timeout stops at the response headers
 * (JDK-NOTES), so an answer whose body stalls after them would otherwise hold the attempt.
 *
 * <p>The interrupt and the end of the wait are decided under one lock: an interrupt meant for an
 * exchange that has just finished is cleared by {@link #end}, so it cannot reach what the thread
 * does next (writing the answer to the client).
 */
final class AttemptDeadline implements StreamWatchdog.Watched {

  private final Thread waiter = Thread.currentThread();
  private final long deadlineNanos;
  private boolean ended; // guarded by this
  private boolean fired; // guarded by this

  AttemptDeadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public synchronized boolean tick(long nowNanos) {
    if (ended) {
      return false;
    }
    if (nowNanos - deadlineNanos < 0) {
      return true;
    }
    fired = true;
    waiter.interrupt();
    return false;
  }

  /**
   * Ends the watch, on the waiting thread; true if the deadline passed first. Its interrupt is
   * cleared then, once (the caller reports a timeout instead); a second call clears nothing, so an
   * interrupt that comes later (the client went away) stays.
   */
  synchronized boolean end() {
    if (!ended) {
      ended = true;
      if (fired) {
        Thread.interrupted();
      }
    }
    return fired;
  }
}
