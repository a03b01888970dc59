package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The writer thread's hand-over: a record reaches the file soon after it is submitted, also when
 * the writer was waiting on an empty queue, concurrent submitters lose nothing, and close() writes
 * every record still queued.
 */
class JsonlRequestLogTest {

  @TempDir Path dir;

  private static RequestRecord record(int n) {
    return record("req_" + n, "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static RequestRecord record(String id, byte[] request) {
    return record(id, request, "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static RequestRecord record(String id, byte[] request, byte[] response) {
    return new RequestRecord(
        id,
        0,
        100,
        "openai",
        "POST",
        "/openai/chat/completions",
        "m",
        false,
        200,
        "p",
        List.of(),
        request,
        response,
        true,
        BodyShape.JSON,
        null,
        null,
        null,
        64L << 20,
        null);
  }

  private static long lines(Path file) {
    try (var stream = Files.lines(file)) {
      return stream.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls the file (bounded: 5 s) until it has {@code expected} lines. */
  private static void awaitLines(Path file, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lines(file) < expected && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // busy, but the writer answers within milliseconds
    }
    assertThat(lines(file)).as("lines written within 5 s").isEqualTo(expected);
  }

  @Test
  void aRecordSubmittedToAnIdleWriterIsWrittenWithoutWaitingForMore() throws Exception {
    try (JsonlRequestLog log = new JsonlRequestLog(dir, new Redactor(List.of()))) {
      // Each record arrives after the previous one was written, i.e. usually to a writer that waits
      // on an empty queue: it must be woken, not wait for a next record or close().
      for (int n = 1; n <= 20; n++) {
        log.submit(record(n));
        awaitLines(log.file(), n);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "request with a line break, request, '\n'",
    "request on one line, request, ''",
    "response on one line, response, ''"
  })
  void aRecordWhoseBodyIsTooDeepForALineIsWrittenWithoutItsBodiesNotLost(
      String what, String side, String between) throws Exception {
    // 500 levels in all (the parser takes 500), one level deeper inside the line than a reader
    // (stats) takes, whether the body is copied as it is or re-generated. The record keeps its
    // metadata and stays readable.
    String deep = "[".repeat(499) + between + "]".repeat(499);
    byte[] body =
        ("{\"model\":\"m\",\"usage\":{\"prompt_tokens\":7},\"x\":" + deep + "}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] small = "{}".getBytes(StandardCharsets.UTF_8);
    RequestRecord tooDeep =
        side.equals("request") ? record("req_deep", body, small) : record("req_deep", small, body);
    Path file;
    try (JsonlRequestLog log = new JsonlRequestLog(dir, new Redactor(List.of()))) {
      file = log.file();
      log.submit(tooDeep);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    JsonNode line = dev.llmrouter.json.Json.MAPPER.readTree(lines.get(0));
    assertThat(line.path("request_id").asString()).isEqualTo("req_deep");
    assertThat(line.has(side)).isFalse();
    if (side.equals("response")) {
      assertThat(line.path("usage").path("prompt_tokens").asInt()).isEqualTo(7); // still counted
    }
  }

  @Test
  void aBodyJustShallowEnoughIsCopiedWhole() throws Exception {
    String deep = "[".repeat(498) + "\"[[\"" + "]".repeat(498); // brackets in a string count not
    byte[] body = ("{\"model\":\"m\",\"x\":" + deep + "}").getBytes(StandardCharsets.UTF_8);
    Path file;
    try (JsonlRequestLog log = new JsonlRequestLog(dir, new Redactor(List.of()))) {
      file = log.file();
      log.submit(record("req_499", body, body));
    }
    JsonNode line = dev.llmrouter.json.Json.MAPPER.readTree(Files.readAllLines(file).get(0));
    assertThat(line.path("request").path("model").asString()).isEqualTo("m");
    assertThat(line.path("response").path("model").asString()).isEqualTo("m");
  }

  /** The writer threads of request logs alive now. */
  private static java.util.Set<Thread> writers() {
    java.util.Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("request-log-writer")) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void anIdleWriterSleepsWithoutATimerAndTheNextRecordWakesIt() throws Exception {
    java.util.Set<Thread> before = writers();
    try (JsonlRequestLog log = new JsonlRequestLog(dir, new Redactor(List.of()))) {
      java.util.Set<Thread> mine = writers();
      mine.removeAll(before);
      assertThat(mine).hasSize(1);
      Thread writer = mine.iterator().next();
      log.submit(record(1));
      awaitLines(log.file(), 1);

      // A writer that looks every 10 ms is TIMED_WAITING whenever it waits; one that sleeps until
      // a record comes is WAITING once 100 ms passed without one.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (writer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(writer.getState())
          .as("writer state after 5 s idle")
          .isEqualTo(Thread.State.WAITING);

      log.submit(record(2)); // fewer than a batch: only the sleeping flag can wake it now
      awaitLines(log.file(), 2);
    }
  }

  @Test
  void concurrentSubmittersLoseNothingAndCloseWritesTheRest() throws Exception {
    int threads = 16;
    int each = 500;
    Path file;
    try (JsonlRequestLog log = new JsonlRequestLog(dir, new Redactor(List.of()))) {
      file = log.file();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * each;
        submitters.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        start.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                      for (int i = 0; i < each; i++) {
                        log.submit(record(base + i));
                      }
                    }));
      }
      start.countDown();
      for (Thread t : submitters) {
        assertThat(t.join(java.time.Duration.ofSeconds(30))).isTrue();
      }
    }
    assertThat(lines(file)).isEqualTo((long) threads * each);
  }
}
