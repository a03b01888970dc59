package dev.llmrouter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ServedRouter;
import dev.llmrouter.testkit.Sse;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A hostile or broken upstream against the real {@code serve} in a JVM with a 256 MiB heap: an
 * endless body, an endless answer to a streaming request, an endless event stream and a 10 MB event
 * line. Each must leave the router answering {@code /health} and a normal request while it runs and
 * after, with a log record for the hostile request, and the router must stop on SIGTERM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileUpstreamMemoryTest {

  static final String CHAT = "/openai/chat/completions";
  static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String STREAMING = BODY.replace("{\"model\"", "{\"stream\":true,\"model\"");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  static FakeUpstream fake;
  static ServedRouter router;

  @BeforeAll
  static void start() {
    fake = FakeUpstream.start();
    router = ServedRouter.start(dir, config(fake.baseUrl() + "/v1"), "-Xmx256m");
  }

  static String config(String baseUrl) {
    return """
        {"server": {"port": 0, "max_response_bytes": 16777216}, "logging": {"dir": "logs"},
         "openai": [{"name": "up", "api_key": "sk-test-up-canary-0123456789",
                     "base_url": "%s", "max_retries": 0, "timeout": 30}]}
        """
        .formatted(baseUrl);
  }

  @AfterAll
  static void stopOnSigterm() {
    try {
      assertThat(router.health()).isEqualTo(200);
      int code = router.stop(Duration.ofSeconds(15));
      assertThat(code).as(router.describe()).isIn(0, 143);
    } finally {
      router.close();
      fake.close();
    }
  }

  @Test
  @Order(1)
  void anEndlessBodyIsCutAtTheLimitAndTheRouterServesOn() {
    JsonNode record =
        assertBrokenAttempt(Reply.endlessJson(), BODY, "response body over 16777216 bytes");

    assertThat(record.path("status").asInt()).isEqualTo(502);
    assertThat(record.path("error").asString()).contains("response body over 16777216 bytes");
  }

  @Test
  @Order(2)
  void anEndlessPlainAnswerToAStreamingRequestIsCappedLikeAnyBody() {
    assertBrokenAttempt(Reply.endlessJson(), STREAMING, "response body over 16777216 bytes");
  }

  @Test
  @Order(3)
  void anEndlessEventStreamIsRelayedWithBoundedMemoryAndLoggedTruncated() throws Exception {
    String event = Sse.openAi("x".repeat(4096)).get(1); // one content chunk, 4 KiB of text
    fake.enqueue(Reply.endlessSse(event));
    long relayed = 0;

    HttpResponse<InputStream> hostile =
        CLIENT.send(request(STREAMING), HttpResponse.BodyHandlers.ofInputStream());
    Probe probe = Probe.start(router);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (InputStream in = hostile.body()) {
      byte[] buffer = new byte[64 * 1024];
      // More than the router's whole heap (256 MiB) passes through it.
      while (relayed < 300L * 1024 * 1024 && System.nanoTime() < deadline) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        relayed += n;
      }
    }
    probe.stop();

    assertThat(hostile.statusCode()).isEqualTo(200);
    assertThat(relayed).as("bytes relayed").isGreaterThanOrEqualTo(300L * 1024 * 1024);
    assertServesAfter(probe);
    JsonNode record =
        awaitRecord(hostile.headers().firstValue("x-router-request-id").orElseThrow());
    assertThat(record.path("stream_result").path("end").asString()).isEqualTo("client_cancelled");
    assertThat(record.path("truncated").asBoolean()).isTrue();
    // The cap, less the back-off of a cut inside a run of key characters (one long run here).
    assertThat(record.path("response").path("content").asString().length())
        .isEqualTo(16 * 1024 * 1024 - 2048);
  }

  @Test
  @Order(4)
  void aTenMegabyteEventLineBreaksTheAttemptBeforeAnythingIsSent() {
    // Chat events are deltas: one past 1 MiB is an upstream gone wrong (issue 11), whatever room
    // the budget has. (Only Responses API events may be as large as a whole answer.)
    assertBrokenAttempt(Reply.hugeSseLine(10 * 1024 * 1024), STREAMING, "exceeds 1048576 bytes");
  }

  @Test
  @Order(5)
  void aTenMegabyteEventAfterTheCommitEndsTheStreamWithAnErrorEvent() {
    List<String> events = new java.util.ArrayList<>(Sse.openAi("Hel", "lo"));
    events.add(2, "data: {\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}");
    fake.enqueue(Reply.sse(events));

    Attack attack = attack(STREAMING);
    HttpResponse<String> hostile = attack.hostile();

    assertThat(hostile.statusCode()).isEqualTo(200);
    assertThat(hostile.body())
        .contains("\"content\":\"Hel\"")
        .contains("\"code\":\"upstream_error\"")
        .doesNotContain("xxxxxxxxxx")
        .doesNotContain("[DONE]");
    assertServesAfter(attack.probe());
    assertThat(logRecord(hostile).path("stream_result").path("end").asString())
        .isEqualTo("upstream_broken");
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The one provider answers {@code reply}: the request gets 502, the router serves throughout and
   * after, and the log records the attempt as broken with {@code detail}. Returns the record.
   */
  private static JsonNode assertBrokenAttempt(Reply reply, String body, String detail) {
    fake.enqueue(reply);

    Attack attack = attack(body);

    assertThat(attack.hostile().statusCode()).isEqualTo(502);
    assertServesAfter(attack.probe());
    JsonNode record = logRecord(attack.hostile());
    JsonNode tried = record.path("attempts").get(0);
    assertThat(tried.path("class").asString()).isEqualTo("broken");
    assertThat(tried.path("detail").asString()).contains(detail);
    return record;
  }

  private static void assertServesAfter(Probe probe) {
    assertThat(probe.failures()).as("health and normal requests while under attack").isEmpty();
    assertThat(router.health()).isEqualTo(200);
    assertThat(router.post(CHAT, BODY, Duration.ofSeconds(10))).isEqualTo(200);
  }

  private static HttpRequest request(String body) {
    return HttpRequest.newBuilder(router.uri(CHAT))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /**
   * Sends the hostile request, and once the upstream has it (it takes the queued hostile reply)
   * starts probing; returns the hostile answer and the probe, stopped.
   */
  private static Attack attack(String body) {
    int before = fake.requestCount();
    var answer = CLIENT.sendAsync(request(body), HttpResponse.BodyHandlers.ofString());
    fake.awaitRequest(before + 1, Duration.ofSeconds(10));
    Probe probe = Probe.start(router);
    try {
      HttpResponse<String> hostile = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
      return new Attack(hostile, probe);
    } catch (Exception e) {
      throw new AssertionError("no answer to the hostile request", e);
    } finally {
      probe.stop();
    }
  }

  private record Attack(HttpResponse<String> hostile, Probe probe) {}

  private static JsonNode logRecord(HttpResponse<?> response) {
    return awaitRecord(response.headers().firstValue("x-router-request-id").orElseThrow());
  }

  /** The log line of {@code requestId}, waited for (the writer flushes right after a request). */
  static JsonNode awaitRecord(String requestId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<String> lines = router.logLines();
      for (String line : lines) {
        if (line.contains(requestId)) {
          return Json.MAPPER.readTree(line);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no log record for "
                + requestId
                + " in "
                + lines.size()
                + " lines\n"
                + router.describe());
      }
      // The log may hold a line of tens of MB being written: do not re-read it in a tight loop.
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }
}
