package dev.llmrouter.cli;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread, made at start, that halts the process when a stop outlives its deadline: a stuck
 * upstream, a thread lost to an {@link OutOfMemoryError} that the drain waits for.
 *
 * <p>Arming it and waiting allocate nothing: the stop it guards may be one that an OutOfMemoryError
 * started, with the heap still full. A thread started only when the stop begins might not start at
 * all then, and a deadline read through a latch's timed wait allocates its queue node; either would
 * leave the process to {@code kill -9}.
 */
final class StopDeadline {

  private final Thread thread;

  /** {@link System#nanoTime()} past which the process halts; 0 while no stop has begun. */
  private volatile long at;

  private volatile int status;

  private volatile long seconds;

  StopDeadline() {
    thread = Thread.ofPlatform().daemon().name("shutdown-deadline").start(this::run);
  }

  /** Set once a stop began on a failure, not on a signal: the process then ends with status 1. */
  private volatile boolean failure;

  /**
   * A stop that began on a failure (an OutOfMemoryError that ended a thread): halts with status 1
   * unless the process has ended within {@code nanos} from now.
   */
  void armForFailure(long nanos) {
    failure = true;
    arm(nanos, 1);
  }

  /** Whether a stop began on a failure, whatever its drain says. */
  boolean failure() {
    return failure;
  }

  /**
   * Halts the process with {@code haltStatus} unless it has ended within {@code nanos} from now. A
   * later call keeps the earlier deadline and its status.
   */
  void arm(long nanos, int haltStatus) {
    long candidate = System.nanoTime() + nanos;
    synchronized (this) {
      if (at != 0 && at - candidate <= 0) {
        return;
      }
      status = haltStatus;
      seconds = nanos / 1_000_000_000L;
      at = candidate == 0 ? 1 : candidate;
    }
    LockSupport.unpark(thread);
  }

  private void run() {
    while (true) {
      long deadline = at;
      if (deadline == 0) {
        LockSupport.park(this);
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left > 0) {
        LockSupport.parkNanos(this, left);
        continue;
      }
      try {
        System.err.println(
            "llm-api-router: shutdown did not finish within " + seconds + " s; exiting now");
        System.err.flush();
      } catch (Throwable t) { // no memory even for the line: halt without it
      }
      Runtime.getRuntime().halt(status);
    }
  }
}
