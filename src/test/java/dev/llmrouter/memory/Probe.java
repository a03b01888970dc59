package dev.llmrouter.memory;

import dev.llmrouter.testkit.ServedRouter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * While an attack runs: {@code GET /health} and a normal proxied request, one after the other,
 * until stopped; every answer that is not a 200 is kept. A bounded loop on its own thread.
 */
final class Probe {

  private static final long PACE_NANOS = Duration.ofMillis(50).toNanos();

  private final ServedRouter router;
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private final java.util.concurrent.atomic.AtomicInteger rounds =
      new java.util.concurrent.atomic.AtomicInteger();

  private Probe(ServedRouter router) {
    this.router = router;
    this.thread = Thread.ofVirtual().start(this::run);
  }

  static Probe start(ServedRouter router) {
    return new Probe(router);
  }

  private void run() {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (running && System.nanoTime() < deadline) {
      int health = router.health();
      if (health != 200) {
        failures.add("health " + health);
      }
      int post =
          router.post(
              HostileUpstreamMemoryTest.CHAT,
              HostileUpstreamMemoryTest.BODY,
              Duration.ofSeconds(10));
      if (post != 200) {
        failures.add("request " + post);
      }
      rounds.incrementAndGet();
      // A probe, not a load: leave the router's cores to the attack it is watching.
      java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
    }
  }

  /** Stops probing after the round under way; at least one whole round is made. */
  void stop() {
    while (rounds.get() == 0 && thread.isAlive()) {
      Thread.onSpinWait();
    }
    running = false;
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many proxied requests the probe made (each leaves a log record). */
  int requests() {
    return rounds.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }
}
