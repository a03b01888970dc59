package dev.llmrouter.cli;

import static dev.llmrouter.testkit.CliProcess.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.CliProcess;
import dev.llmrouter.testkit.JavaProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** A CLI process that must fail to start: exit 1, no stack trace, and not one file added. */
final class FailedStart {
  private FailedStart() {}

  /**
   * Runs the CLI in {@code work} behind {@code prefix} (see {@link Unprivileged}) with {@code env}
   * added, to its exit, and checks that it failed cleanly.
   *
   * @return the ended process, for its output
   */
  static CliProcess run(Path work, List<String> prefix, Map<String, String> env, String... args)
      throws IOException {
    Set<String> before = files(work);
    List<String> command = new ArrayList<>(prefix);
    command.addAll(JavaProcesses.command(Main.class, List.of(), List.of(args)));
    try (CliProcess cli = CliProcess.startCommand(work, env, command)) {
      assertThat(cli.awaitExit(STARTUP)).as(cli.describe()).isEqualTo(1);
      assertThat(cli.stdout()).as(cli.describe()).doesNotContain("listening");
      assertThat(cli.stderr()).as(cli.describe()).doesNotContain("Exception", "\tat ");
      assertThat(files(work)).as("files after a failed start").isEqualTo(before);
      return cli;
    }
  }

  static CliProcess run(Path work, String... args) throws IOException {
    return run(work, List.of(), Map.of(), args);
  }

  /** Every file and folder under {@code dir}, relative to it. */
  static Set<String> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      Set<String> names = new TreeSet<>();
      all.filter(p -> !p.equals(dir)).forEach(p -> names.add(dir.relativize(p).toString()));
      return names;
    }
  }
}
