package dev.llmrouter.cli;

import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.stats.LogFiles;
import dev.llmrouter.stats.LogStats;
import dev.llmrouter.stats.StatsReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@code stats}: finds the logs the way {@code serve} would write them, reads, prints. */
final class StatsCommand {

  private StatsCommand() {}

  /**
   * @param logDirOf the log folder a config names, or null after its problems were printed
   */
  static int run(Command.Stats s, PrintStream out, PrintStream err, Function<Path, Path> logDirOf) {
    List<Path> files;
    try {
      if (!s.files().isEmpty()) {
        files = named(s.files());
        if (files.isEmpty()) { // only folders were named, with no log in them
          err.println("llm-api-router: no request logs in " + joined(s.files()));
          return Cli.FAILED;
        }
      } else {
        Path dir = logDir(s, logDirOf);
        if (dir == null) {
          err.println("llm-api-router: stats reads no config with --log-dir DIR");
          return Cli.FAILED;
        }
        files = LogFiles.in(dir);
        if (files.isEmpty()) {
          err.println("llm-api-router: no request logs in " + dir);
          return Cli.FAILED;
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      err.println("llm-api-router: no request logs in " + e.getFile() + " (no such folder)");
      return Cli.FAILED;
    } catch (IOException e) {
      err.println("llm-api-router: cannot list the logs: " + e.getMessage());
      return Cli.FAILED;
    }
    StatsReport report;
    try {
      report = LogStats.read(files, s.since());
    } catch (NoSuchFileException e) {
      err.println("llm-api-router: cannot read " + e.getFile() + ": no such file");
      return Cli.FAILED;
    } catch (IOException e) {
      err.println("llm-api-router: cannot read the logs: " + e);
      return Cli.FAILED;
    }
    out.print(s.json() ? report.json() : report.text());
    return Cli.OK;
  }

  /**
   * Named files are read as named, in the order given, an errors file too; a named folder stands
   * for its main logs.
   */
  private static List<Path> named(List<Path> names) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : names) {
      if (Files.isDirectory(p)) {
        files.addAll(LogFiles.in(p));
      } else {
        files.add(p);
      }
    }
    return files;
  }

  private static String joined(List<Path> paths) {
    return String.join(", ", paths.stream().map(Path::toString).toList());
  }

  /**
   * {@code --log-dir}, else the {@code logging.dir} of {@code --config}, else of the default config
   * file when there is one, else {@code logs}: the folder {@code serve} would have written to. Null
   * after a config problem was printed.
   */
  private static Path logDir(Command.Stats s, Function<Path, Path> logDirOf) {
    if (s.logDir() != null) {
      return s.logDir();
    }
    Path config = s.config();
    if (config == null) {
      Path standard = Path.of(RouterConfig.DEFAULT_FILE);
      if (!Files.exists(standard)) {
        return RouterConfig.DEFAULT_LOG_DIR;
      }
      config = standard;
    }
    return logDirOf.apply(config);
  }
}
