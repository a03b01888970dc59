package dev.llmrouter.testkit;

import dev.llmrouter.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java dev.llmrouter.cli.Main <args>} in its own JVM, for what only a real process shows:
 * exit codes from {@code main}, signals, the working directory. Stdout is read line by line into a
 * queue and stderr is collected, both on their own threads so the child never blocks on a full
 * pipe. Every wait is bounded; {@link #close()} kills what is still running.
 */
public final class CliProcess implements AutoCloseable {

  /** JVM start plus class loading; generous because CI machines are slow. */
  public static final Duration STARTUP = Duration.ofSeconds(15);

  public static final Duration EXIT = Duration.ofSeconds(10);

  /** One stdout line, or the end of stdout. */
  private record Line(String text, boolean end) {}

  private final Process process;
  private final BlockingQueue<Line> stdout = new LinkedBlockingQueue<>();
  private final List<String> stdoutSeen = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Object stderrArrived = new Object();
  private final Thread outReader;
  private final Thread errReader;
  private boolean stdoutEnded;

  private CliProcess(Process process) {
    this.process = process;
    this.outReader =
        Thread.ofPlatform()
            .daemon()
            .name("cli-stdout")
            .start(
                () ->
                    pump(
                        process.getInputStream(),
                        line -> stdout.add(new Line(line, false)),
                        () -> stdout.add(new Line("", true))));
    this.errReader =
        Thread.ofPlatform()
            .daemon()
            .name("cli-stderr")
            .start(
                () ->
                    pump(
                        process.getErrorStream(),
                        line -> {
                          stderr.add(line);
                          synchronized (stderrArrived) {
                            stderrArrived.notifyAll();
                          }
                        },
                        () -> {}));
  }

  /** Starts the CLI with {@code workDir} as its working directory. */
  public static CliProcess start(Path workDir, String... args) {
    return start(workDir, Map.of(), args);
  }

  /** Starts the CLI with {@code workDir} as its working directory and {@code env} added. */
  public static CliProcess start(Path workDir, Map<String, String> env, String... args) {
    return start(workDir, List.of(), env, args);
  }

  /** The same, with JVM flags (e.g. {@code -Xmx256m}) for the child. */
  public static CliProcess start(
      Path workDir, List<String> jvmFlags, Map<String, String> env, String... args) {
    return startCommand(workDir, env, JavaProcesses.command(Main.class, jvmFlags, List.of(args)));
  }

  /**
   * Any command line as the CLI process: {@code java -jar}, a launcher, or the CLI behind a wrapper
   * such as {@code setpriv} (a test that needs fewer privileges than it runs with).
   */
  public static CliProcess startCommand(
      Path workDir, Map<String, String> env, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    // Configs in these tests carry their keys; keys from the developer's shell must not matter.
    builder.environment().keySet().removeIf(name -> name.endsWith("_API_KEY"));
    // The same for the shell's proxy: serve reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
    builder.environment().putAll(env);
    try {
      return new CliProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pump(InputStream in, Consumer<String> sink, Runnable atEnd) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        sink.accept(line);
      }
    } catch (IOException e) {
      // The process is gone; what was read counts.
    } finally {
      atEnd.run();
    }
  }

  /**
   * Reads stdout lines until one matches {@code pattern} (anywhere in the line) and returns the
   * match; lines before it are consumed.
   *
   * @throws AssertionError when no such line came within {@code timeout} or stdout ended first
   */
  public Matcher awaitLine(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stdoutEnded) {
      Line line;
      try {
        line = stdout.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (line == null) {
        break;
      }
      if (line.end()) {
        stdoutEnded = true;
        break;
      }
      stdoutSeen.add(line.text());
      Matcher m = pattern.matcher(line.text());
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError(
        "no stdout line matching /"
            + pattern
            + "/ within "
            + timeout
            + (stdoutEnded ? " (stdout ended)" : "")
            + "\n"
            + describe());
  }

  /**
   * Sends SIGTERM. Through the process handle: {@link Process#destroy()} also closes this side's
   * pipes, and what the process says while it drains would be lost.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /**
   * Waits for the process to exit and for its output to be read.
   *
   * @return the exit code
   * @throws AssertionError when it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + timeout + "\n" + describe());
      }
      // The pipes reach EOF once the process is gone; the readers end right after.
      outReader.join(EXIT.toMillis());
      errReader.join(EXIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /**
   * Waits until {@code count} stderr lines match {@code pattern} (anywhere in the line) and returns
   * them; lines stay for {@link #stderr()}.
   *
   * @throws AssertionError when fewer came within {@code timeout}
   */
  public List<String> awaitStderrLines(Pattern pattern, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stderrArrived) {
      while (true) {
        List<String> matching = stderr.stream().filter(l -> pattern.matcher(l).find()).toList();
        if (matching.size() >= count) {
          return matching;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              count
                  + " stderr lines matching /"
                  + pattern
                  + "/ expected within "
                  + timeout
                  + ", "
                  + matching.size()
                  + " came\n"
                  + describe());
        }
        try {
          stderrArrived.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Everything on stderr so far, one line each. */
  public String stderr() {
    return String.join("\n", stderr);
  }

  /** Stdout lines consumed so far plus those still queued. */
  public String stdout() {
    List<String> all = new ArrayList<>(stdoutSeen);
    stdout.stream().filter(l -> !l.end()).forEach(l -> all.add(l.text()));
    return String.join("\n", all);
  }

  public String describe() {
    return "--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr();
  }

  /** Kills the process if it still runs and waits (bounded) for it to go. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
