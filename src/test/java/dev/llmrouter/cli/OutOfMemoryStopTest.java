package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.CliProcess;
import dev.llmrouter.testkit.JavaProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ends {@code serve} when its own stop cannot: a thread ended by an OutOfMemoryError (the JVM
 * would then drop SIGTERM: it cannot make the thread that runs the handler), and a drain that never
 * ends. Real processes ({@link StopProbe}) with a full heap, and the handler alone in this JVM.
 */
class OutOfMemoryStopTest {

  @TempDir Path dir;

  private CliProcess probe(String mode, String... jvmFlags) {
    CliProcess p =
        CliProcess.startCommand(
            dir,
            Map.of(),
            JavaProcesses.command(StopProbe.class, List.of(jvmFlags), List.of(mode)));
    p.awaitLine(Pattern.compile("^armed$"), CliProcess.STARTUP);
    return p;
  }

  @Test
  void aThreadKilledByAFullHeapStopsTheProcessThroughItsShutdownHookWithStatusOne() {
    try (CliProcess p = probe("fill", "-Xmx48m")) {
      // The heap stays full (the filler's arrays are held): the stop runs on the reserve.
      assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.describe()).isEqualTo(1);
      assertThat(p.stderr())
          .contains("llm-api-router: out of memory: thread \"filler\" ended with an")
          .contains("probe: drain ran");
    }
  }

  @Test
  void aStopThatOutlivesItsDeadlineHaltsTheProcess() {
    try (CliProcess p = probe("stall")) {
      assertThat(p.awaitExit(Duration.ofSeconds(20))).as(p.describe()).isEqualTo(143);
      assertThat(p.stderr()).contains("llm-api-router: shutdown did not finish within 0 s");
    }
  }

  @Test
  void onlyAnOutOfMemoryErrorThatEndsAThreadStopsAndTheHandlerBeforeStillReports()
      throws Exception {
    Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
    CompletableFuture<Throwable> reported = new CompletableFuture<>();
    CompletableFuture<Integer> exited = new CompletableFuture<>();
    try {
      Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.complete(e));
      StopDeadline deadline = new StopDeadline();
      OutOfMemoryStop stop =
          new OutOfMemoryStop(() -> Long.MAX_VALUE / 2, deadline, exited::complete);
      stop.install();

      Thread bug =
          Thread.ofPlatform()
              .start(
                  () -> {
                    throw new IllegalStateException("a bug, not memory");
                  });
      bug.join(10_000);
      assertThat(reported.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
      assertThat(stop.reserveHeld()).isTrue();
      assertThat(deadline.failure()).isFalse();
      assertThat(exited).isNotDone();

      Thread.ofPlatform()
          .start(
              () -> {
                throw new OutOfMemoryError("Java heap space");
              })
          .join(10_000);

      assertThat(exited.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(stop.reserveHeld()).isFalse();
      assertThat(deadline.failure()).isTrue();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(original);
    }
  }
}
