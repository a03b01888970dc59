package dev.llmrouter.cli;

import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.mock.MockScenario;
import dev.llmrouter.stats.Since;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The hand-written parser: {@code <command> [--option value | --flag]... [FILE]...}. */
final class ArgParser {

  static final String COMMANDS = "init, check, serve, mock, demo, stats";

  private static final Map<String, Set<String>> VALUE_OPTIONS =
      Map.of(
          "init", Set.of("--config"),
          "check", Set.of("--config"),
          "serve", Set.of("--config", "--host", "--port", "--log-dir"),
          "mock", Set.of("--host", "--port", "--scenario"),
          "demo", Set.of("--port", "--log-dir"),
          "stats", Set.of("--config", "--log-dir", "--since"));

  private static final Map<String, Set<String>> FLAGS =
      Map.of(
          "init", Set.of("--force"),
          "check", Set.of(),
          "serve", Set.of("--allow-unauthenticated"),
          "mock", Set.of(),
          "demo", Set.of(),
          "stats", Set.of("--json"));

  /** The commands that take operands after their options: {@code stats FILE...}. */
  private static final Set<String> OPERANDS = Set.of("stats");

  private ArgParser() {}

  static Command parse(List<String> args) {
    if (args.isEmpty()) {
      return new Command.UsageError("no command given");
    }
    String first = args.get(0);
    switch (first) {
      case "--help", "-h", "help" -> {
        return new Command.Help(args.size() > 1 ? args.get(1) : null);
      }
      case "--version", "-V", "version" -> {
        // Takes nothing after it: a typo there must not pass unnoticed.
        return args.size() > 1
            ? new Command.UsageError(
                "'" + first + "' takes no arguments, not '" + args.get(1) + "'")
            : new Command.Version();
      }
      default -> {
        // handled below
      }
    }
    if (!VALUE_OPTIONS.containsKey(first)) {
      return new Command.UsageError(
          first.startsWith("-")
              ? "unknown option '" + first + "'"
              : "unknown command '" + first + "'");
    }
    Map<String, String> values = new HashMap<>();
    Set<String> flags = new java.util.HashSet<>();
    List<String> operands = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || (arg.equals("--") && OPERANDS.contains(first))) {
        // "stats -- -odd-name.jsonl": after "--" every argument is a file, as in POSIX tools.
        if (optionsEnded) {
          operands.add(arg);
        }
        optionsEnded = true;
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Command.Help(first);
      }
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      if (FLAGS.get(first).contains(name) && inline == null) {
        if (!flags.add(name)) {
          return new Command.UsageError("option '" + name + "' given more than once");
        }
      } else if (VALUE_OPTIONS.get(first).contains(name)) {
        if (inline == null) {
          if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            // "init --config --force" must not write a file named --force.
            return new Command.UsageError("option '" + name + "' needs a value");
          }
          inline = args.get(++i);
        }
        if (inline.isEmpty()) {
          return new Command.UsageError("option '" + name + "' needs a non-empty value");
        }
        // Given twice, one of the two would be ignored without a word: "--since 1h --since 7d".
        if (values.putIfAbsent(name, inline) != null) {
          return new Command.UsageError("option '" + name + "' given more than once");
        }
      } else if (OPERANDS.contains(first) && !arg.startsWith("-")) {
        operands.add(arg);
      } else {
        return new Command.UsageError(
            (arg.startsWith("-") ? "unknown option '" : "unexpected argument '")
                + arg
                + "' for '"
                + first
                + "'");
      }
    }
    if (first.equals("stats")) {
      return stats(values, flags, operands);
    }
    return build(first, values, flags);
  }

  private static Command stats(Map<String, String> values, Set<String> flags, List<String> files) {
    if (values.containsKey("--log-dir") && !files.isEmpty()) {
      return new Command.UsageError("give either --log-dir or files to 'stats', not both");
    }
    Instant since = null;
    if (values.containsKey("--since")) {
      try {
        since = Since.parse(values.get("--since"), Instant.now(), ZoneId.systemDefault());
      } catch (IllegalArgumentException e) {
        return new Command.UsageError(e.getMessage());
      }
    }
    return new Command.Stats(
        values.containsKey("--config") ? Path.of(values.get("--config")) : null,
        values.containsKey("--log-dir") ? Path.of(values.get("--log-dir")) : null,
        files.stream().map(Path::of).toList(),
        since,
        flags.contains("--json"));
  }

  private static Command build(String command, Map<String, String> values, Set<String> flags) {
    Path config = Path.of(values.getOrDefault("--config", RouterConfig.DEFAULT_FILE));
    Path logDir = values.containsKey("--log-dir") ? Path.of(values.get("--log-dir")) : null;
    Integer port = null;
    if (values.containsKey("--port")) {
      try {
        port = Integer.parseInt(values.get("--port"));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535) {
        return new Command.UsageError(
            "--port must be 0..65535, got '" + values.get("--port") + "'");
      }
    }
    String host = values.get("--host");
    String hostProblem = host == null ? null : ServerSettings.hostProblem(host);
    if (hostProblem != null) {
      return new Command.UsageError("--host " + hostProblem + ", got '" + host + "'");
    }
    return switch (command) {
      case "init" -> new Command.Init(config, flags.contains("--force"));
      case "check" -> new Command.Check(config);
      case "serve" ->
          new Command.Serve(
              config,
              values.get("--host"),
              port,
              logDir,
              flags.contains("--allow-unauthenticated"));
      case "mock" -> {
        String scenario = values.getOrDefault("--scenario", "ok");
        try {
          MockScenario.parse(scenario); // a bad name is a usage error, as a bad --port is
        } catch (IllegalArgumentException e) {
          yield new Command.UsageError(e.getMessage());
        }
        yield new Command.Mock(
            values.getOrDefault("--host", "127.0.0.1"), port == null ? 9000 : port, scenario);
      }
      case "demo" -> new Command.Demo(port == null ? 8000 : port, logDir);
      default -> throw new IllegalStateException("unreachable: " + command);
    };
  }
}
