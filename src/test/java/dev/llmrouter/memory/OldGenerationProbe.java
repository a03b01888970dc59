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
    // 4 MB held at any time, in 64 KB pieces each replaced after 64 more: more than a survivor
    // space holds, so every young collection promotes what the ring holds then, which dies soon.
    byte[][] ring = new byte[64][];
    long sink = 0;
    for (int i = 0; i < 16 * 1024; i++) {
      byte[] piece = new byte[64 * 1024];
      piece[i % piece.length] = (byte) i;
      ring[i % ring.length] = piece;
      sink += ring[(i * 7) % ring.length] == null ? 0 : ring[(i * 7) % ring.length][0];
      if (i % 16 == 0) {
        // About 1 GB/s at most, still hundreds of times a router's rate: the JVM's notification
        // thread, which starts each sweep, gets a core now and then.
        LockSupport.parkNanos(1_000_000);
      }
    }
    MemoryPoolMXBean old =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getName().equals(OldGenerationSweep.SERIAL_OLD_POOL))
            .findFirst()
            .orElseThrow();
    System.out.println(
        "peak="
            + old.getPeakUsage().getUsed()
            + " sweeps="
            + (sweep == null ? 0 : sweep.sweeps())
            + " sink="
            + sink);
  }
}
