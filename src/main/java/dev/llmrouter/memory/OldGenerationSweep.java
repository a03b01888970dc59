package dev.llmrouter.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Collects the serial collector's old generation once it has grown by half since the last
 * collection.
 *
 * <p>The serial collector (the launcher's) grows its old generation rather than collect it: a young
 * collection counts the uncommitted rest of {@code -Xmx} as room to promote into, so the first full
 * collection comes when the old generation nears {@code -Xmx} (1 GiB with the launcher's options).
 * What is promoted and then dies is mostly connections' state: a client's connection lives longer
 * than the 15 young collections (about 3 s under load) it takes to be promoted, and dies with the
 * connection. Under steady connection churn the bench's router grew its old generation by 0.4 to
 * 0.8 MB of such garbage a second, so its resident memory would have crept toward 1.1 GB over an
 * hour. A usage threshold on the old generation (the JVM's own low-memory detection, no polling)
 * triggers a full collection at one and a half times what the last one left live, never below the
 * generation's initial size and never above its maximum: each collection frees at least a third of
 * what it scans, and a heap whose live data grows (thousands of open streams) keeps room in
 * proportion. (At twice, the bench's router peaked 10-15 MB higher; a collection of its 15-30 MB of
 * live data takes 20-35 ms.)
 *
 * <p>Only for the serial collector: the others (G1, Parallel, ZGC) size and collect their old
 * generations by their own rules, and an embedding program's heap is its own business: only {@code
 * serve} installs this.
 */
public final class OldGenerationSweep {

  /** The serial collector's old generation, as the JVM names its memory pool. */
  static final String SERIAL_OLD_POOL = "Tenured Gen";

  /** The least threshold when the JVM reports no initial size. */
  static final long MIN_FLOOR = 16L << 20;

  private static final System.Logger LOG = System.getLogger("llm-api-router");

  /** One sweep per JVM: a second listener would collect twice per crossing. */
  private static final AtomicReference<OldGenerationSweep> INSTALLED = new AtomicReference<>();

  private final MemoryPoolMXBean pool;
  private final long floor;
  private final long max;
  private final AtomicLong sweeps = new AtomicLong();

  private OldGenerationSweep(MemoryPoolMXBean pool) {
    this.pool = pool;
    this.floor = Math.max(MIN_FLOOR, pool.getUsage().getInit());
    this.max = pool.getUsage().getMax(); // -1 when undefined
  }

  /**
   * Installs the sweep on this JVM's serial old generation, once; null when the JVM runs another
   * collector or cannot set a usage threshold there.
   */
  public static OldGenerationSweep install() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP
          && SERIAL_OLD_POOL.equals(pool.getName())
          && pool.isUsageThresholdSupported()) {
        OldGenerationSweep sweep = new OldGenerationSweep(pool);
        if (!INSTALLED.compareAndSet(null, sweep)) {
          return INSTALLED.get();
        }
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean())
            .addNotificationListener((n, handback) -> sweep.onNotification(n), null, null);
        sweep.arm();
        return sweep;
      }
    }
    return null;
  }

  /**
   * The usage at which the next collection starts, when the last one left {@code live} bytes: one
   * and a half times that, at least {@code floor}, at most {@code max} (unless that is -1).
   */
  static long threshold(long floor, long max, long live) {
    long t = Math.max(floor, live + live / 2);
    return max < 0 ? t : Math.min(t, max);
  }

  /** Full collections this sweep has asked for. */
  public long sweeps() {
    return sweeps.get();
  }

  /** On the JVM's notification thread, never a request's. */
  private void onNotification(Notification n) {
    if (!MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType())
        || !(n.getUserData() instanceof CompositeData data)
        || !pool.getName().equals(MemoryNotificationInfo.from(data).getPoolName())) {
      return;
    }
    try {
      // A late notification, after a collection of the JVM's own, finds nothing to do.
      if (pool.isUsageThresholdExceeded()) {
        System.gc(); // no effect under -XX:+DisableExplicitGC: the threshold grows up to the max
        sweeps.incrementAndGet();
      }
      arm();
    } catch (RuntimeException e) {
      // The JDK would print it on stderr and drop it; the router serves on without sweeps.
      LOG.log(System.Logger.Level.WARNING, "old-generation sweep stopped: " + e);
    }
  }

  private void arm() {
    long live = pool.getUsage().getUsed();
    pool.setUsageThreshold(threshold(floor, max, live));
    LOG.log(
        System.Logger.Level.DEBUG, () -> "old generation: " + (live >> 20) + " MiB after sweep");
  }
}
