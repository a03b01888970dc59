package dev.llmrouter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.CliProcess;
import dev.llmrouter.testkit.JavaProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serial collector promotes objects that die soon after into its old generation and, left to
 * itself, grows that generation toward {@code -Xmx} before it collects it. With the sweep, the old
 * generation is collected at one and a half times its live data (never under its initial size)
 * instead.
 */
class OldGenerationSweepTest {

  private static final Pattern RESULT = Pattern.compile("peak=(\\d+) sweeps=(\\d+)");

  /**
   * Old generation 16 MB at first, up to about 500 MB; objects promoted at their first survival.
   */
  private static final List<String> FLAGS =
      List.of("-Xms24m", "-Xmn8m", "-Xmx512m", "-XX:MaxTenuringThreshold=1");

  @TempDir Path dir;

  @Test
  void withoutTheSweepTheOldGenerationFillsWithGarbage() {
    long[] r = probe("none");
    assertThat(r[0]).as("old generation peak, bytes").isGreaterThan(384L << 20);
  }

  @Test
  void theSweepCollectsTheOldGenerationAtOneAndAHalfTimesItsLiveData() {
    long[] r = probe("sweep");
    // The threshold is the 16 MB floor: about 50 sweeps. A sweep starts on the JVM's notification
    // thread a moment after the threshold was crossed; past it, the probe waits for the sweep, so
    // the peak is the threshold plus what one young collection promotes (4 MB).
    assertThat(r[1]).as("sweeps").isGreaterThanOrEqualTo(10);
    assertThat(r[0]).as("old generation peak, bytes").isLessThan(64L << 20);
  }

  @Test
  void theThresholdIsOneAndAHalfTimesTheLiveDataBetweenTheFloorAndTheMax() {
    long mb = 1 << 20;
    assertThat(OldGenerationSweep.threshold(32 * mb, -1, 4 * mb)).isEqualTo(32 * mb);
    assertThat(OldGenerationSweep.threshold(32 * mb, -1, 20 * mb)).isEqualTo(32 * mb);
    assertThat(OldGenerationSweep.threshold(32 * mb, -1, 100 * mb)).isEqualTo(150 * mb);
    // Never above the pool's maximum, where the JVM would refuse the threshold.
    assertThat(OldGenerationSweep.threshold(32 * mb, 984 * mb, 700 * mb)).isEqualTo(984 * mb);
  }

  /** Runs the probe; {peak bytes, sweeps}. */
  private long[] probe(String mode) {
    try (CliProcess p =
        CliProcess.startCommand(
            dir, Map.of(), JavaProcesses.command(OldGenerationProbe.class, FLAGS, List.of(mode)))) {
      Matcher m = p.awaitLine(RESULT, Duration.ofSeconds(60));
      return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
  }
}
