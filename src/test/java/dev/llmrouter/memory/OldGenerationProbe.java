package dev.llmrouter.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM's main for {@link OldGenerationSweepTest}: promotes about 600 MB of objects that die
 * soon after, the way connections' state does, then prints the old generation's peak use and the
 * sweeps. Argument: {@code sweep} to install {@link OldGenerationSweep}, anything else not to.
 */
public final class OldGenerationProbe {

  private OldGenerationProbe() {}

  public static void main(String[] args) {
    OldGenerationSweep sweep = "sweep".equals(args[0]) ? OldGenerationSweep.install() : null;
    if ("sweep".equals(args[0]) && sweep == null) {
      throw new IllegalStateException("no serial old generation to sweep");
    }
    MemoryPoolMXBean old =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getName().equals(OldGenerationSweep.SERIAL_OLD_POOL))
            .findFirst()
            .orElseThrow();
    // 4 MB held at any time, in 64 KB pieces each replaced after 64 more: more than a survivor
    // space holds, so every young collection promotes what the ring holds then, which dies soon.
    byte[][] ring = new byte[64][];
    long deadline = System.nanoTime() + 20_000_000_000L; // for all the waits together
    long sink = 0;
    for (int i = 0; i < 16 * 1024; i++) {
      byte[] piece = new byte[64 * 1024];
      piece[i % piece.length] = (byte) i;
      ring[i % ring.length] = piece;
      sink += ring[(i * 7) % ring.length] == null ? 0 : ring[(i * 7) % ring.length][0];
      if (sweep != null && i % 16 == 0) {
        awaitSweep(old, deadline);
      }
    }
    System.out.println(
        "peak="
            + old.getPeakUsage().getUsed()
            + " sweeps="
            + (sweep == null ? 0 : sweep.sweeps())
            + " sink="
            + sink);
  }

  /**
   * Past the threshold, waits (until {@code deadline}) for the sweep to have run: the probe
   * promotes hundreds of MB a second, far faster than a router, and would otherwise outrun the
   * JVM's notification thread that starts each sweep (unpaced, peaks reached 63-405 MB).
   */
  private static void awaitSweep(MemoryPoolMXBean old, long deadline) {
    while (old.isUsageThresholdExceeded() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
  }
}
