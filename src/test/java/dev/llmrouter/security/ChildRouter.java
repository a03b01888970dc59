package dev.llmrouter.security;

import dev.llmrouter.testkit.JavaProcesses;
import dev.llmrouter.testkit.RouterHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * A router in a JVM of its own, for what one JVM cannot show twice: the JDK server's tunables are
 * read once per JVM, so only a fresh JVM can start with different ones (given as {@code -D} flags,
 * the way an embedding program would). The child serves one OpenAI provider until its stdin closes.
 */
final class ChildRouter implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(15);
  private static final Duration EXIT = Duration.ofSeconds(5);

  /** The child's own guard: it never outlives a parent that forgot it. */
  private static final Duration MAX_LIFETIME = Duration.ofSeconds(60);

  private static final String READY = "child router listening on port ";

  private final Process process;
  private final int port;

  private ChildRouter(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a child router in front of {@code openAiBaseUrl} with extra JVM flags. */
  static ChildRouter start(String openAiBaseUrl, String... jvmFlags) {
    List<String> command =
        JavaProcesses.command(ChildRouter.class, List.of(jvmFlags), List.of(openAiBaseUrl));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new ChildRouter(process, awaitPort(process));
    } catch (RuntimeException | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Waits (at most {@link #STARTUP}) for the child to print its port, reading on a helper thread.
   */
  private static int awaitPort(Process process) {
    SynchronousQueue<String> line = new SynchronousQueue<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  String ready = "";
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    // JVM notices may come first; a bounded number of lines is read.
                    for (int i = 0; i < 50 && ready.isEmpty(); i++) {
                      String l = r.readLine();
                      if (l == null) {
                        break;
                      }
                      ready = l.startsWith(READY) ? l : "";
                    }
                  } catch (IOException e) {
                    // the child died; the empty answer says so
                  }
                  try {
                    line.offer(ready, STARTUP.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      String first = line.poll(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
      if (first == null || !first.startsWith(READY)) {
        throw new AssertionError("child router did not start within " + STARTUP + ": " + first);
      }
      return Integer.parseInt(first.substring(READY.length()).trim());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      reader.interrupt();
    }
  }

  int port() {
    return port;
  }

  /** Closes the child's stdin so it stops its router and exits; kills it if it does not. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The child: {@code ChildRouter <openai base url>}. */
  public static void main(String[] args) throws InterruptedException {
    try (RouterHarness router =
        RouterHarness.builder().openai(RouterHarness.provider("oa-child", args[0])).start()) {
      System.out.println(READY + router.router().port());
      System.out.flush();
      CountDownLatch parentGone = new CountDownLatch(1);
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  int ignored = System.in.read(); // the parent never writes: this is EOF
                } catch (IOException e) {
                  // the pipe broke: the parent is gone too
                } finally {
                  parentGone.countDown();
                }
              });
      parentGone.await(MAX_LIFETIME.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
