package dev.llmrouter.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real command line, {@code serve --config FILE}, in a JVM of its own with the flags a test
 * gives (a small heap, typically): what an operator runs, including its launcher's signal handling.
 * Every wait is bounded; {@link #close()} kills what is still running.
 */
public final class ServedRouter implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) .*request log (\\S+)$");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final CliProcess process;
  private final int port;
  private final Path logFile;

  private ServedRouter(CliProcess process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /**
   * Writes {@code configJson} (its {@code server.port} should be 0) into {@code dir}, starts {@code
   * serve} there and waits for its "listening" line.
   */
  public static ServedRouter start(Path dir, String configJson, String... jvmFlags) {
    return start(dir, configJson, Map.of(), jvmFlags);
  }

  /** The same, with {@code env} added to the process's environment. */
  public static ServedRouter start(
      Path dir, String configJson, Map<String, String> env, String... jvmFlags) {
    Path config = dir.resolve("router.json");
    try {
      Files.writeString(config, configJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CliProcess p =
        CliProcess.start(dir, List.of(jvmFlags), env, "serve", "--config", config.toString());
    try {
      Matcher m = p.awaitLine(LISTENING, CliProcess.STARTUP);
      return new ServedRouter(p, Integer.parseInt(m.group(1)), dir.resolve(m.group(2)));
    } catch (RuntimeException | Error e) {
      p.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return logFile;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** {@code GET /health}'s status, or -1 when it did not answer within 5 s. */
  public int health() {
    return status(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(5)).build());
  }

  /** A POST within {@code timeout}; its status, or -1 when it got no answer. */
  public int post(String path, String body, Duration timeout) {
    return status(
        HttpRequest.newBuilder(uri(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build());
  }

  private static int status(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGTERM, then the exit code; fails if the process is still running after {@code within}. */
  public int stop(Duration within) {
    process.terminate();
    return process.awaitExit(within);
  }

  /**
   * The exit code of a process that stops on its own; fails if it still runs after {@code within}.
   */
  public int awaitExit(Duration within) {
    return process.awaitExit(within);
  }

  /** What the process wrote on stderr so far. */
  public String stderr() {
    return process.stderr();
  }

  /** The request log's complete lines so far (a line being written is left out). */
  public List<String> logLines() {
    try {
      String text = Files.readString(logFile, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the process printed, for failure messages. */
  public String describe() {
    return process.describe();
  }

  @Override
  public void close() {
    process.close();
  }
}
