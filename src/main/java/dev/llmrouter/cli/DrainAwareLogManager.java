package dev.llmrouter.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;

/**
 * The JDK's {@link LogManager}, except that the reset its own shutdown hook makes (it closes every
 * handler, the console's included) waits until {@code serve} has drained. The JVM runs shutdown
 * hooks at the same time: without this, the console lines of the requests that finish during the
 * drain, and of the drain's refusals, went nowhere while their log records were written. {@code
 * serve}'s hook ends the process itself once it is done, so this reset never has to run.
 *
 * <p>Named by {@code java.util.logging.manager}, which {@link Main} sets before anything logs,
 * unless the operator set it; the JDK creates it by reflection (hence public, and its package
 * exported to {@code java.logging} alone).
 */
public final class DrainAwareLogManager extends LogManager {

  /** Counted down once serve's stop is over; null outside serve. */
  private static volatile CountDownLatch drained;

  /** For the JDK's reflection. */
  public DrainAwareLogManager() {
    super();
  }

  /** The shutdown-time reset waits for {@code stopped} (serve's stop, which halts at its end). */
  static void resetAfter(CountDownLatch stopped) {
    drained = stopped;
  }

  @Override
  public void reset() {
    CountDownLatch stop = drained;
    // The JDK's shutdown hook is a thread of its own class, LogManager$Cleaner.
    if (stop != null
        && Thread.currentThread()
            .getClass()
            .getName()
            .equals(LogManager.class.getName() + "$Cleaner")) {
      try {
        // Bounded anyway: serve's own deadline halts the process long before.
        stop.await(1, TimeUnit.HOURS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    super.reset();
  }
}
