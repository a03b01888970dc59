package dev.llmrouter.cli;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Stops {@code serve} as SIGTERM would (drain, the log's last flush), with status 1, once an {@link
 * OutOfMemoryError} has ended one of the JVM's threads.
 *
 * <p>The router catches such an error where a request can fail alone (the handlers, the request
 * log's writer, the upstream body readers). One that ends a thread has killed something it cannot
 * work without: the JDK server's dispatcher or the JDK client's selector are never started again,
 * and the router would hang, answering nothing. Nor could it be stopped: the JVM runs a SIGTERM
 * handler on a thread it creates when the signal comes, and with the heap full it drops the signal
 * ("Exception java.lang.OutOfMemoryError occurred dispatching signal SIGTERM to handler"), so only
 * {@code kill -9} would end it. So the process stops itself, and its supervisor starts it again.
 *
 * <p>Everything the stop needs is made at start: the thread that stops the process, the {@link
 * StopDeadline} that halts it if the drain stalls on the full heap, and a reserve of heap given up
 * before anything else, so that the next collection leaves room for the drain. The default handler
 * of uncaught exceptions belongs to the JVM: only {@code serve} installs this, and an embedding
 * program keeps its own.
 */
final class OutOfMemoryStop {

  /** Enough for the drain's lines, the shutdown hook's thread and the log's last flush. */
  static final int RESERVE_BYTES = 2 << 20;

  /**
   * How much longer than the grace period a stop after an OutOfMemoryError may take before the
   * process halts: less than after SIGTERM, since the drain of a full heap may itself stall.
   */
  static final long SLACK_NANOS = 5_000_000_000L;

  @SuppressWarnings("unused") // held, never read: it exists to be given up
  private volatile byte[] reserve = new byte[RESERVE_BYTES];

  /** The thread an OutOfMemoryError ended first; null until then. */
  private volatile Thread ended;

  private final Thread stopper;

  /**
   * Sets the reserve aside and starts the thread that, once an OutOfMemoryError has ended a thread,
   * arms {@code deadline} with {@code deadlineNanos} and calls {@code exit} with 1 ({@link
   * System#exit} in {@code serve}: the shutdown hook drains and flushes the log).
   */
  OutOfMemoryStop(LongSupplier deadlineNanos, StopDeadline deadline, IntConsumer exit) {
    stopper =
        Thread.ofPlatform()
            .daemon()
            .name("out-of-memory-stop")
            .start(
                () -> {
                  while (ended == null) {
                    LockSupport.park(this);
                  }
                  deadline.armForFailure(deadlineNanos.getAsLong());
                  try {
                    System.err.println(
                        "llm-api-router: out of memory: thread \""
                            + ended.getName()
                            + "\" ended with an OutOfMemoryError; stopping (status 1) for a"
                            + " restart (raise -Xmx, or lower server.max_buffered_bytes)");
                    System.err.flush();
                  } catch (Throwable t) { // no memory for the line: stop without it
                  }
                  exit.accept(1);
                });
  }

  /**
   * Installs the default handler of uncaught exceptions that gives up the reserve and wakes the
   * stopping thread on an OutOfMemoryError, then reports the exception as the JVM's own handler
   * does (or hands it to the handler installed before).
   */
  void install() {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof OutOfMemoryError && ended == null) {
            reserve = null; // first, and allocating nothing
            ended = thread;
            LockSupport.unpark(stopper);
          }
          if (before != null) {
            before.uncaughtException(thread, e);
          } else {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(System.err);
          }
        });
  }

  /** Whether the reserve is still held: false once an OutOfMemoryError ended a thread. */
  boolean reserveHeld() {
    return reserve != null;
  }
}
