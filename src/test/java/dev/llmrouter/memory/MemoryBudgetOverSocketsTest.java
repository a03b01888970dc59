package dev.llmrouter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ServedRouter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The reproductions of the second attack run, each against {@code serve} with a 256 MiB heap and
 * the default memory budget (a quarter of it): many large uploads at once, several endless upstream
 * bodies at once, and one 60 MB error body that ends with the provider's key. Every request is
 * answered, {@code /health} and a normal request are served throughout and after, every request has
 * its log record, and the router stops on SIGTERM.
 */
class MemoryBudgetOverSocketsTest {

  private static final String CHAT = "/openai/chat/completions";
  private static final String KEY = "sk-test-budget-canary-0123456789";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  private static String config(String baseUrl, String server) {
    return """
        {"server": {"port": 0 %s}, "logging": {"dir": "logs"},
         "openai": [{"name": "up", "api_key": "%s", "base_url": "%s", "max_retries": 0,
                     "timeout": 60}]}
        """
        .formatted(server, KEY, baseUrl);
  }

  private static HttpRequest post(ServedRouter router, String body) {
    return HttpRequest.newBuilder(router.uri(CHAT))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Sends {@code n} copies of {@code body} at once; their statuses (-1: no answer). */
  private static List<Integer> concurrently(ServedRouter router, String body, int n)
      throws Exception {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(CLIENT.sendAsync(post(router, body), HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      try {
        HttpResponse<String> r = f.get(90, TimeUnit.SECONDS);
        statuses.add(r.statusCode());
        if (r.statusCode() == 503) {
          assertThat(r.headers().firstValue("retry-after")).hasValue("1");
          assertThat(r.body()).contains("max_buffered_bytes");
        }
      } catch (java.util.concurrent.ExecutionException e) {
        statuses.add(-1);
      }
    }
    return statuses;
  }

  private static void assertStopsWithEveryRecord(ServedRouter router, int expectedRecords) {
    assertThat(router.health()).as(router.describe()).isEqualTo(200);
    assertThat(router.post(CHAT, HostileUpstreamMemoryTest.BODY, Duration.ofSeconds(10)))
        .isEqualTo(200);
    int code = router.stop(Duration.ofSeconds(20));
    assertThat(code).as(router.describe()).isIn(0, 143);
    assertThat(router.logLines()).as("one record per request").hasSize(expectedRecords);
    assertThat(String.join("\n", router.logLines())).doesNotContain(KEY);
  }

  @Test
  void twentyFourLargeUploadsAtOnceAreServedOrRefusedWithoutRunningOutOfMemory() throws Exception {
    String big =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "x".repeat(8 * 1024 * 1024 - 100)
            + "\"}]}";
    try (FakeUpstream fake = FakeUpstream.start();
        ServedRouter router =
            ServedRouter.start(
                dir, config(fake.baseUrl() + "/v1", ", \"max_body_bytes\": 8388608"), "-Xmx256m")) {
      Probe probe = Probe.start(router);
      List<Integer> statuses = concurrently(router, big, 24);
      probe.stop();

      // A refused upload is answered before its body is read and its connection closed: a client
      // still sending may see the reset before it reads the 503 (-1 here), as with any early
      // answer.
      assertThat(statuses).allMatch(s -> s == 200 || s == 503 || s == -1);
      assertThat(statuses).contains(200);
      assertThat(probe.failures()).isEmpty();
      // 24 uploads, the probe's requests, and the last check's.
      assertStopsWithEveryRecord(router, 24 + probe.requests() + 1);
      long refused =
          router.logLines().stream()
              .filter(l -> l.contains("\"status\":503") && l.contains("max_buffered_bytes"))
              .count();
      assertThat(refused).isGreaterThanOrEqualTo(statuses.stream().filter(s -> s != 200).count());
    }
  }

  @Test
  void fourEndlessUpstreamBodiesAtOnceBreakTheirAttemptsNotTheRouter() throws Exception {
    try (FakeUpstream fake = FakeUpstream.start();
        ServedRouter router =
            ServedRouter.start(dir, config(fake.baseUrl() + "/v1", ""), "-Xmx256m")) {
      fake.enqueue(
          Reply.endlessJson(), Reply.endlessJson(), Reply.endlessJson(), Reply.endlessJson());

      List<Integer> statuses = concurrently(router, HostileUpstreamMemoryTest.BODY, 4);

      // Broken at server.max_response_bytes (502) or at the budget, which is the router's own
      // condition: then 503 with Retry-After, and no provider is blamed for it.
      assertThat(statuses).isNotEmpty().allMatch(s -> s == 502 || s == 503);
      assertStopsWithEveryRecord(router, 4 + 1);
    }
  }

  @Test
  void aSixtyMegabyteErrorBodyEndingWithTheKeyIsRedactedAndLogged() throws Exception {
    String message = "x".repeat(60 * 1024 * 1024) + " key " + KEY;
    try (FakeUpstream fake = FakeUpstream.start();
        ServedRouter router =
            ServedRouter.start(dir, config(fake.baseUrl() + "/v1", ""), "-Xmx256m")) {
      fake.enqueue(Reply.openAiError(400, "invalid_request_error", null, message));

      HttpResponse<String> r;
      try {
        r =
            CLIENT
                .sendAsync(
                    post(router, HostileUpstreamMemoryTest.BODY),
                    HttpResponse.BodyHandlers.ofString())
                .get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        throw new AssertionError("no whole answer: " + e + "\n" + router.describe(), e);
      }

      // Returned as the caller's error it is, redacted; or, when the budget is short, broken.
      assertThat(r.statusCode()).as(router.describe()).isIn(400, 502);
      assertThat(r.body()).doesNotContain(KEY);
      if (r.statusCode() == 400) {
        assertThat(r.body())
            .endsWith(
                " key [REDACTED]\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
      }
      assertStopsWithEveryRecord(router, 1 + 1);
      JsonNode record = Json.MAPPER.readTree(Files.readAllLines(router.logFile()).get(0));
      assertThat(record.path("status").asInt()).isEqualTo(r.statusCode());
    }
  }
}
