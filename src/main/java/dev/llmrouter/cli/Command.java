package dev.llmrouter.cli;

import java.nio.file.Path;

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

  record Mock(String host, int port, String scenario) implements Command {}

  record Demo(int port, Path logDir) implements Command {}

  /** The arguments made no sense: exit 2 with this message and a usage hint. */
  record UsageError(String message) implements Command {}
}
