package dev.llmrouter.cli;

import dev.llmrouter.mock.MockScenario;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A parsed command line: what to do, with every option already typed. */
sealed interface Command {

  /** {@code --help}, {@code help}, or {@code <command> --help}; null topic = general usage. */
  record Help(String topic) implements Command {}

  record Version() implements Command {}

  record Init(Path config, boolean force) implements Command {}

  record Check(Path config) implements Command {}

  /** Null host/port/logDir mean "as the config file says". */
  record Serve(Path config, String host, Integer port, Path logDir, boolean allowUnauthenticated)
      implements Command {}

  /** {@code scenario} as typed, checked to parse ({@link MockScenario#parse}). */
  record Mock(String host, int port, String scenario) implements Command {}

  record Demo(int port, Path logDir) implements Command {}

  /**
   * Reads request logs and prints what they say. Named {@code files} (or folders) take the place of
   * {@code logDir}, which takes the place of the config's {@code logging.dir}; a null config means
   * the default file if it exists, else the default folder.
   *
   * @param since records before it are left out; null = all
   */
  record Stats(Path config, Path logDir, List<Path> files, Instant since, boolean json)
      implements Command {}

  /** The arguments made no sense: exit 2 with this message and a usage hint. */
  record UsageError(String message) implements Command {}
}
