package dev.llmrouter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A process for {@link OutOfMemoryStopTest}: {@code serve}'s stop machinery alone, without a
 * router, driven into the case at hand.
 *
 * <ul>
 *   <li>{@code stall}: a stop whose drain never ends; the deadline must halt the process.
 *   <li>{@code fill}: a thread fills the heap and dies of it, the memory kept full; the process
 *       must stop itself through its shutdown hook.
 * </ul>
 */
public final class StopProbe {

  /** Kept reachable: the heap stays full after the filling thread died. */
  static final List<byte[]> HELD = new ArrayList<>();

  private StopProbe() {}

  public static void main(String[] args) {
    StopDeadline deadline = new StopDeadline();
    switch (args[0]) {
      case "stall" -> {
        deadline.arm(200_000_000L, 143);
        System.out.println("armed");
      }
      case "fill" -> {
        Serving.stopOnShutdown(
            () -> {
              System.err.println("probe: drain ran");
              return true;
            },
            () -> 10_000_000_000L,
            deadline);
        new OutOfMemoryStop(() -> 10_000_000_000L, deadline, System::exit).install();
        System.out.println("armed");
        Thread.ofPlatform()
            .name("filler")
            .start(
                () -> {
                  while (true) {
                    HELD.add(new byte[64 * 1024]);
                  }
                });
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    while (true) {
      LockSupport.park(); // the probe ends only by a halt or an exit
    }
  }
}
