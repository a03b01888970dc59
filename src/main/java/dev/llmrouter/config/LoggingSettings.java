package dev.llmrouter.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code "logging"} section: where the JSONL request log goes, how much of each request it
 * keeps, and when its files rotate. Everything but {@code dir} applies to records written after a
 * reload; the directory is fixed when the router starts.
 *
 * @param dir directory of the request logs (default {@code logs})
 * @param bodies which records carry request and response bodies (default {@link Bodies#FULL})
 * @param maxFileBytes once the current file has reached this many bytes, the next record opens a
 *     new pair of files; the config gives it in MiB ({@code max_file_mb}, default 100), an embedder
 *     may give any positive number of bytes
 * @param keepFiles how many of the newest log files (each with its errors file) are kept in {@code
 *     dir}; 0 keeps all (default)
 */
public record LoggingSettings(Path dir, Bodies bodies, long maxFileBytes, int keepFiles) {

  public static final long DEFAULT_MAX_FILE_BYTES = 100L << 20;

  /** What the log keeps of a request's prompt and answer. */
  public enum Bodies {
    /** Request and response bodies (and a stream's assembled text) on every record. */
    FULL,
    /** Bodies only on the records that also go to the errors file. */
    ERRORS,
    /** Metadata only: no prompt or answer text, nor the upstreams' error messages, is written. */
    NONE;

    /** The name the config uses: {@code "full"}, {@code "errors"}, {@code "none"}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LoggingSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(bodies, "bodies");
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("maxFileBytes must be positive");
    }
    if (keepFiles < 0) {
      throw new IllegalArgumentException("keepFiles must not be negative");
    }
  }

  /** Every setting at its default, in {@code dir}. */
  public static LoggingSettings in(Path dir) {
    return new LoggingSettings(dir, Bodies.FULL, DEFAULT_MAX_FILE_BYTES, 0);
  }

  public LoggingSettings withDir(Path newDir) {
    return new LoggingSettings(newDir, bodies, maxFileBytes, keepFiles);
  }

  public LoggingSettings withBodies(Bodies newBodies) {
    return new LoggingSettings(dir, newBodies, maxFileBytes, keepFiles);
  }

  public LoggingSettings withMaxFileBytes(long newMaxFileBytes) {
    return new LoggingSettings(dir, bodies, newMaxFileBytes, keepFiles);
  }

  public LoggingSettings withKeepFiles(int newKeepFiles) {
    return new LoggingSettings(dir, bodies, maxFileBytes, newKeepFiles);
  }
}
