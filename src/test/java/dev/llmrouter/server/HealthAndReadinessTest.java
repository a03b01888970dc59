package dev.llmrouter.server;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.json.Json;
import dev.llmrouter.logging.JsonlRequestLog;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.routing.ProviderRegistry;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.upstream.UpstreamClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code /health} tells whether every endpoint can serve now; {@code /health/ready} whether the
 * router takes traffic at all (starting, serving, draining), whatever its providers do.
 */
class HealthAndReadinessTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final FakeUpstream first = FakeUpstream.start();
  private final FakeUpstream second = FakeUpstream.start();
  private final FakeUpstream claude = FakeUpstream.start().always(Reply.anthropicOk());

  @AfterEach
  void closeFakes() {
    first.close();
    second.close();
    claude.close();
  }

  private RouterHarness twoOpenAiOneAnthropic() {
    return RouterHarness.builder()
        .openai("first", first)
        .openai("second", second)
        .anthropic("claude", claude)
        .start();
  }

  private static JsonNode health(RouterHarness router) {
    HttpResponse<String> r = router.get("/health");
    assertThat(r.statusCode()).as("liveness: %s", r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void aProbeInAbsoluteFormNamingThisRouterIsAnswered() {
    // RFC 9112 3.2.2: a server must accept "GET http://host/health", as some health checkers send.
    try (RouterHarness router = twoOpenAiOneAnthropic()) {
      int port = router.router().port();
      String host = "127.0.0.1:" + port;

      dev.llmrouter.testkit.RawHttp.Answer own =
          dev.llmrouter.testkit.RawHttp.exchange(
              port, "GET http://" + host + "/health/ready HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      dev.llmrouter.testkit.RawHttp.Answer other =
          dev.llmrouter.testkit.RawHttp.exchange(
              port, "GET http://evil.example/health HTTP/1.1\r\nHost: " + host + "\r\n\r\n");

      assertThat(own.status()).isEqualTo(200);
      assertThat(other.status()).isEqualTo(400);
    }
  }

  @Test
  void okWhileEveryProviderCanServe() {
    try (RouterHarness router = twoOpenAiOneAnthropic()) {
      JsonNode health = health(router);

      assertThat(health.path("status").asString()).isEqualTo("ok");
      assertThat(health.has("degraded")).isFalse();
      assertThat(health.has("unavailable")).isFalse();
      assertThat(health.path("endpoints").path("openai").path("status").asString()).isEqualTo("ok");
      assertThat(health.path("endpoints").path("anthropic").path("status").asString())
          .isEqualTo("ok");
    }
  }

  @Test
  void degradedNamesTheEndpointWithAProviderThatCannotServe() {
    first.enqueue(Reply.openAiError(401, "invalid_request_error", "invalid_api_key", "bad key"));
    try (RouterHarness router = twoOpenAiOneAnthropic()) {
      assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(200);

      JsonNode health = health(router);

      assertThat(health.path("status").asString()).isEqualTo("degraded");
      assertThat(health.path("degraded").toString()).isEqualTo("[\"openai\"]");
      assertThat(health.has("unavailable")).isFalse();
      JsonNode openai = health.path("endpoints").path("openai");
      assertThat(openai.path("status").asString()).isEqualTo("degraded");
      assertThat(openai.path("providers").get(0).path("reason").asString())
          .isEqualTo("auth_failed");
      assertThat(health.path("endpoints").path("anthropic").path("status").asString())
          .isEqualTo("ok");
    }
  }

  @Test
  void aModelRateLimitOnItsOwnDegradesToo() {
    // OpenAI and Anthropic limit each model: the usual 429 cools one model of a provider.
    first.enqueue(Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow down"));
    try (RouterHarness router = twoOpenAiOneAnthropic()) {
      router.post("/openai/chat/completions", OPENAI_CHAT);

      JsonNode health = health(router);

      assertThat(health.path("status").asString()).isEqualTo("degraded");
      assertThat(health.path("degraded").toString()).isEqualTo("[\"openai\"]");
    }
  }

  @Test
  void unavailableWhenAnEndpointHasNoProviderThatCanServeNow() {
    claude.always(Reply.anthropicError(401, "authentication_error", "invalid x-api-key"));
    try (RouterHarness router = twoOpenAiOneAnthropic()) {
      assertThat(router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES).statusCode())
          .isEqualTo(502);

      HttpResponse<String> r = router.get("/health");
      JsonNode health = Json.MAPPER.readTree(r.body());

      // Still alive: a supervisor must not restart a router because a provider is down.
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(health.path("status").asString()).isEqualTo("unavailable");
      assertThat(health.path("unavailable").toString()).isEqualTo("[\"anthropic\"]");
      assertThat(health.path("endpoints").path("anthropic").path("status").asString())
          .isEqualTo("unavailable");
      assertThat(health.path("endpoints").path("openai").path("status").asString()).isEqualTo("ok");
      // Readiness does not follow the providers: an outage must not empty a load balancer's pool.
      assertThat(router.get("/health/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anEndpointWithoutProvidersIsNotConfiguredAndCountsForNothing() {
    try (RouterHarness router = RouterHarness.builder().openai("first", first).start()) {
      JsonNode health = health(router);

      assertThat(health.path("status").asString()).isEqualTo("ok");
      assertThat(health.path("endpoints").path("anthropic").path("status").asString())
          .isEqualTo("not_configured");
    }
  }

  @Test
  void modelNamesInHealthAreScannedForKeysLikeEveryOtherOutput() {
    // A provider that serves any model is sent the client's string, which /health then names.
    String key = "gw-key-0123456789";
    first.always(Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow down"));
    try (RouterHarness router =
        RouterHarness.builder().apiKeys(key).openai("first", first).start()) {
      RouterHarness.send(
          HttpRequest.newBuilder(router.uri("/openai/chat/completions"))
              .timeout(WAIT)
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      OPENAI_CHAT.replace("gpt-4o-mini", "rl-" + key)))
              .build());

      String health = router.get("/health").body();

      assertThat(health)
          .contains("models_cooling_down")
          .contains("rl-[REDACTED]")
          .doesNotContain(key);
    }
  }

  @Test
  void readyAnswers200WithoutAGatewayKeyAndToHead() {
    try (RouterHarness router =
        RouterHarness.builder().apiKeys("gw-key-0123456789").openai("first", first).start()) {
      HttpResponse<String> ready = router.get("/health/ready");
      HttpResponse<String> head =
          RouterHarness.send(
              HttpRequest.newBuilder(router.uri("/health/ready"))
                  .timeout(WAIT)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build());

      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(ready.body()).path("status").asString()).isEqualTo("ready");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(router.get("/metrics").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void readyIs503UntilTheRouterSaysItIsReady() throws Exception {
    RouterConfig config =
        new RouterConfig(
            ServerSettings.defaults().withPort(0),
            dir.resolve("logs"),
            List.of(
                ProviderConfig.of(
                    "first", "sk-first-0123456789", URI.create(first.baseUrl() + "/v1"))),
            List.of());
    Redactor redactor = new Redactor(config.secrets());
    try (JsonlRequestLog log = new JsonlRequestLog(config.logging(), redactor);
        UpstreamClient upstream = new UpstreamClient()) {
      RouterServer server =
          RouterServer.start(
              RouterServer.bind(config.server()),
              config,
              upstream,
              log,
              new ProviderRegistry(),
              redactor);
      try {
        String url = "http://127.0.0.1:" + server.address().getPort() + "/health/ready";
        HttpResponse<String> starting = get(url);
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).contains("starting").doesNotContain("\n");

        server.ready();

        assertThat(get(url).statusCode()).isEqualTo(200);
      } finally {
        server.stop(Duration.ZERO);
      }
    }
  }

  @Test
  void readyIs503FromTheMomentADrainStartsWhileRequestsInFlightFinish() throws Exception {
    first.always(Reply.openAiOk("finished during the drain").delayed(Duration.ofSeconds(3)));
    try (RouterHarness router = RouterHarness.builder().openai("first", first).start()) {
      drainWhileARequestIsInFlight(router);
    }
  }

  @Test
  void aRequestCutByTheEndOfTheGraceIsTold503AndToRetry() throws Exception {
    // A rolling deploy: another instance can answer it, so the SDK should retry, not give up.
    first.always(Reply.openAiOk("too late").delayed(Duration.ofSeconds(20)));
    try (RouterHarness router = RouterHarness.builder().openai("first", first).start()) {
      AtomicReference<HttpResponse<String>> cut = new AtomicReference<>();
      Thread client =
          Thread.ofVirtual()
              .start(() -> cut.set(router.post("/openai/chat/completions", OPENAI_CHAT)));
      first.awaitRequest(1, WAIT);

      router.router().close(Duration.ofMillis(200));

      assertThat(client.join(WAIT)).isTrue();
      assertThat(cut.get().statusCode()).isEqualTo(503);
      assertThat(cut.get().body()).contains("shutting down; retry");
      assertThat(cut.get().headers().firstValue("retry-after")).hasValue("1");
      assertThat(cut.get().headers().firstValue("x-should-retry")).hasValue("true");
      assertThat(router.router().inFlight()).isZero();
    }
  }

  @Test
  void aRequestWaitingForACoolingProviderPastTheGraceIsAnsweredAtOnceAndTheDrainIsClean()
      throws Exception {
    first.always(
        Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\"}}")
            .withHeader("retry-after", "4")); // within the default 5 s max_cooldown_wait
    try (RouterHarness router = RouterHarness.builder().openai("first", first).start()) {
      assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(429);
      // That request holds its slot until its record is handed to the log, a moment after its
      // answer: only once it is gone does a count of 1 mean the next one.
      awaitInFlight(router, 0);
      AtomicReference<HttpResponse<String>> waiting = new AtomicReference<>();
      Thread client =
          Thread.ofVirtual()
              .start(() -> waiting.set(router.post("/openai/chat/completions", OPENAI_CHAT)));
      awaitInFlight(router, 1); // past the drain's check: it is walking, soon waiting

      // Its wait ends 4 s from now, past the 1 s grace: it is told to retry now, and the stop
      // needs to cut nothing (true), where it used to hold the drain for the whole grace.
      assertThat(router.router().close(Duration.ofSeconds(1))).isTrue();

      assertThat(client.join(WAIT)).isTrue();
      assertThat(waiting.get().statusCode()).isEqualTo(503);
      assertThat(waiting.get().body()).contains("shutting down; retry");
      assertThat(first.requestCount()).isEqualTo(1);
    }
  }

  private void drainWhileARequestIsInFlight(RouterHarness router) throws InterruptedException {
    AtomicReference<HttpResponse<String>> slow = new AtomicReference<>();
    Thread client =
        Thread.ofVirtual()
            .start(() -> slow.set(router.post("/openai/chat/completions", OPENAI_CHAT)));
    first.awaitRequest(1, WAIT);
    assertThat(router.get("/health/ready").statusCode()).isEqualTo(200);

    Thread stopper = Thread.ofVirtual().start(() -> router.router().close(Duration.ofSeconds(30)));
    HttpResponse<String> draining = awaitStatus(router, "/health/ready", 503);

    assertThat(Json.MAPPER.readTree(draining.body()).path("reason").asString())
        .startsWith("draining");
    // Still alive while it drains: a liveness probe must not have it killed mid-drain.
    assertThat(router.get("/health").statusCode()).isEqualTo(200);
    // A new request is turned away at once, with a hint to try again (elsewhere).
    HttpResponse<String> refused = router.post("/openai/chat/completions", OPENAI_CHAT);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
    assertThat(refused.body()).contains("shutting down");

    assertThat(client.join(WAIT)).isTrue();
    assertThat(slow.get().statusCode()).isEqualTo(200);
    assertThat(slow.get().body()).contains("finished during the drain");
    assertThat(stopper.join(WAIT)).isTrue();
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(router.router().inFlight()).isZero(); // closed, nothing runs: not "full"
  }

  /** Polls the router's count of requests in flight until it is {@code n}; fails after WAIT. */
  private static void awaitInFlight(RouterHarness router, int n) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (router.router().inFlight() != n && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
    }
    assertThat(router.router().inFlight()).isEqualTo(n);
  }

  /** Polls {@code path} until it answers {@code status}; fails after {@link #WAIT}. */
  private static HttpResponse<String> awaitStatus(RouterHarness router, String path, int status) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = router.get(path);
      if (last.statusCode() == status) {
        return last;
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    throw new AssertionError(path + " never answered " + status + "; last: " + last);
  }

  private static HttpResponse<String> get(String url) {
    return RouterHarness.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build());
  }
}
