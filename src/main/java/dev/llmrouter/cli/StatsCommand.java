package dev.llmrouter.cli;

import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.stats.LogFiles;
import dev.llmrouter.stats.LogStats;
import dev.llmrouter.stats.StatsReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
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
  static int run(
      Command.Stats s,
      PrintStream out,
      PrintStream err,
      Function<Path, Path> logDirOf,
      String invokedAs) {
    Path dir = null;
    List<Path> files;
    try {
      if (!s.files().isEmpty()) {
        files = named(s.files());
        if (files.isEmpty()) { // only folders were named, with no log in them
          err.println("llm-api-router: no request logs in " + joined(s.files()));
          return Cli.FAILED;
        }
      } else {
        dir = logDir(s, logDirOf);
        if (dir == null) {
          err.println("llm-api-router: or give stats the log folder itself: --log-dir DIR");
          return Cli.FAILED;
        }
        files = LogFiles.in(dir);
        if (files.isEmpty()) {
          err.println("llm-api-router: no request logs in " + dir);
          return Cli.FAILED;
        }
      }
    } catch (NotDirectoryException e) {
      err.println(
          "llm-api-router: " + e.getFile() + " is a file, not a folder: name it without --log-dir");
      return Cli.FAILED;
    } catch (NoSuchFileException e) {
      err.println("llm-api-router: no request logs in " + e.getFile() + " (no such folder)");
      return Cli.FAILED;
    } catch (IOException e) {
      err.println("llm-api-router: cannot list the logs in " + why(e, invokedAs));
      return Cli.FAILED;
    }
    try {
      StatsReport report = read(s, dir, files);
      out.print(s.json() ? report.json() : report.text());
      return Cli.OK;
    } catch (NoSuchFileException e) {
      err.println("llm-api-router: cannot read " + e.getFile() + ": no such file");
    } catch (IOException e) {
      err.println("llm-api-router: cannot read " + why(e, invokedAs));
    }
    return Cli.FAILED;
  }

  /**
   * Reads {@code files}. A log folder's oldest file may be deleted by the running router's rotation
   * ({@code logging.keep_files}) between the listing and the read: the folder is then listed and
   * read again, as it is now. A file named on the command line that is missing is an error.
   */
  static StatsReport read(Command.Stats s, Path dir, List<Path> files) throws IOException {
    List<Path> reading = files;
    for (int tries = 1; ; tries++) {
      try {
        return LogStats.read(reading, s.since());
      } catch (NoSuchFileException e) {
        if (dir == null || tries == 3) {
          throw e;
        }
        reading = LogFiles.in(dir);
      }
    }
  }

  /**
   * The path and the reason, without the exception's class name. The router writes its logs for its
   * own user only (mode 0600, folder 0750 under systemd): say how to read them, in the command as
   * the user runs it ({@code invokedAs}: the launcher, or {@code java -jar <path>}).
   */
  static String why(IOException e, String invokedAs) {
    if (e instanceof AccessDeniedException denied) {
      return denied.getFile()
          + ": permission denied (the router's logs are readable by the user it runs as: run stats"
          + " as that user, e.g. sudo -u llm-api-router "
          + invokedAs
          + " stats --log-dir DIR)";
    }
    if (e instanceof FileSystemException fs && fs.getFile() != null) {
      return fs.getFile() + ": " + (fs.getReason() == null ? "I/O error" : fs.getReason());
    }
    return e.getMessage() == null ? "I/O error" : e.getMessage();
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
