package dev.llmrouter.routing;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Provider state across requests: cooldowns, breakers, and never failing without a try. */
class CooldownOverSocketsTest {

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;

  @BeforeEach
  void start() {
    first = FakeUpstream.start();
    second = FakeUpstream.start().always(Reply.openAiOk("second"));
    router =
        RouterHarness.builder()
            .requestTimeout(Duration.ofSeconds(5))
            .openai(provider("first", first.baseUrl() + "/v1", Duration.ofSeconds(2), 0))
            .openai(provider("second", second.baseUrl() + "/v1", Duration.ofSeconds(2), 0))
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    first.close();
    second.close();
  }

  private HttpResponse<String> chat() {
    return router.post("/openai/chat/completions", OPENAI_CHAT);
  }

  private JsonNode healthOf(String name) {
    JsonNode providers =
        Json.MAPPER
            .readTree(router.get("/health").body())
            .path("endpoints")
            .path("openai")
            .path("providers");
    for (JsonNode p : providers) {
      if (p.path("name").asString().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no provider " + name + " in /health");
  }

  @Test
  void aRateLimitedModelIsSkippedUntilItsResetTime() {
    first.enqueue(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after", "30"));

    HttpResponse<String> one = chat();
    HttpResponse<String> two = chat();

    assertThat(one.headers().firstValue("x-router-attempts")).hasValue("2");
    assertThat(two.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(two.headers().firstValue("x-router-attempts")).hasValue("1");
    assertThat(first.requestCount()).isEqualTo(1);
    // The limit is the model's (OpenAI and Anthropic limit each model): the provider's other
    // models still serve, and /health says it cools down, with its seconds left and why.
    JsonNode state = healthOf("first");
    assertThat(state.path("state").asString()).isEqualTo("cooling_down");
    assertThat(state.path("reason").asString()).isEqualTo("rate_limited");
    assertThat(state.path("seconds_left").asLong()).isBetween(25L, 30L);
    assertThat(state.path("models_cooling_down").path("gpt-4o-mini").asLong()).isBetween(25L, 30L);
    assertThat(router.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void everyProviderCoolingDownPastTheDeadlineAnswers429AtOnceWithTheSoonestEnd() {
    first.always(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after", "40"));
    second.always(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after", "20"));
    assertThat(chat().statusCode()).isEqualTo(429);

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
        .isBetween(15L, 20L);
    assertThat(r.body()).contains("cooling down");
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(second.requestCount()).isEqualTo(1);
  }

  @Test
  void everyProviderCoolingDownBrieflyMeansWaitingForTheSoonestInsteadOfFailing() {
    first.enqueue(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after-ms", "300"));
    second.enqueue(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after", "30"));
    first.always(Reply.openAiOk("first again"));
    assertThat(chat().statusCode()).isEqualTo(429);

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("first again");
    assertThat(first.requestCount()).isEqualTo(2);
    assertThat(second.requestCount()).isEqualTo(1);
  }

  @Test
  void repeatedFailuresOpenTheBreakerAndLaterRequestsSkipTheProvider() {
    first.always(Reply.openAiError(503, "server_error", null, "down"));
    for (int i = 0; i < 3; i++) {
      assertThat(chat().statusCode()).isEqualTo(200);
    }

    HttpResponse<String> r = chat();

    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("1");
    assertThat(first.requestCount()).isEqualTo(3);
    assertThat(healthOf("first").path("state").asString()).isEqualTo("open");
    assertThat(healthOf("first").path("last_error").asString()).isEqualTo("http_503");
  }

  @Test
  void streamsThatBreakAfterTheirFirstEventOpenTheBreakerToo() {
    // Each commits (its first event reached the client), then resets: three transient failures,
    // not three successes, so the fourth stream goes to the second provider.
    first.always(Reply.sse(Sse.openAi("a", "b", "c")).breakAfter(1, false));
    String stream = OPENAI_CHAT.replaceFirst("\\{", "{\"stream\":true,");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> broken = router.post("/openai/chat/completions", stream);
      assertThat(broken.headers().firstValue("x-router-provider")).hasValue("first");
      assertThat(broken.body()).contains("\"error\"");
    }
    // The verdict is told once the relay is over, which the client may see end a moment before.
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (healthOf("first").path("failures").asLong() < 3 && System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }

    HttpResponse<String> r = router.post("/openai/chat/completions", stream);

    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("1");
    assertThat(first.requestCount()).isEqualTo(3);
    JsonNode health = healthOf("first");
    assertThat(health.path("state").asString()).isEqualTo("open");
    assertThat(health.path("last_error").asString()).isEqualTo("stream_broken");
  }

  @Test
  void aStreamThatCompletesCountsAsASuccessAtItsEnd() {
    first.always(Reply.sse(Sse.openAi("a", "b")));
    String stream = OPENAI_CHAT.replaceFirst("\\{", "{\"stream\":true,");

    assertThat(router.post("/openai/chat/completions", stream).body()).contains("[DONE]");

    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (healthOf("first").path("successes").asLong() < 1 && System.nanoTime() - until < 0) {
      Thread.onSpinWait(); // told once the relay is over, which the client may see end first
    }
    assertThat(healthOf("first").path("successes").asLong()).isEqualTo(1);
    assertThat(healthOf("first").path("failures").asLong()).isZero();
  }

  @Test
  void aBadKeyCoolsTheProviderDownForLongAndSaysSo() {
    first.always(Reply.openAiError(401, "invalid_request_error", "invalid_api_key", "bad key"));
    chat();

    JsonNode state = healthOf("first");
    assertThat(state.path("state").asString()).isEqualTo("cooling_down");
    assertThat(state.path("reason").asString()).isEqualTo("auth_failed");
    assertThat(state.path("seconds_left").asLong()).isGreaterThan(200);
  }

  @Test
  void aModelNoProviderHasIs404NowAndLaterNeverA429ThatAnSdkWouldRetry() {
    // A typo: every provider says the model does not exist, and later requests skip them for it.
    Reply missing =
        Reply.openAiError(
            404, "invalid_request_error", "model_not_found", "The model `gpt-typo` does not exist");
    first.always(missing);
    second.always(missing);
    String typo = "{\"model\":\"gpt-typo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = router.post("/openai/chat/completions", typo);
      assertThat(r.statusCode()).as("request %d", i).isEqualTo(404);
      assertThat(Json.MAPPER.readTree(r.body()).path("error").path("code").asString())
          .isEqualTo("model_not_found");
      assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
      // Where the SDKs read a request's id (err.request_id): the router's own, of its log line.
      String id = r.headers().firstValue("x-router-request-id").orElseThrow();
      assertThat(r.headers().firstValue("request-id")).hasValue(id);
      assertThat(r.headers().firstValue("x-request-id")).hasValue(id);
    }
    assertThat(first.requestCount() + second.requestCount()).isEqualTo(2); // the second skipped
  }

  @Test
  void providersSkippedForRejectedKeysAreA429WithWhenTheKeyCooldownEnds() {
    Reply rejected = Reply.openAiError(401, "invalid_request_error", "invalid_api_key", "bad key");
    first.always(rejected);
    second.always(rejected);
    assertThat(chat().statusCode()).isEqualTo(502); // both tried: the router's own failure

    // Both cool down for 5 minutes, past what a request waits: at once, 429 with when the first
    // comes back (the failure-classes issue's "a 5-minute key cooldown").
    HttpResponse<String> later = chat();
    assertThat(later.statusCode()).isEqualTo(429);
    assertThat(Integer.parseInt(later.headers().firstValue("retry-after").orElseThrow()))
        .isBetween(290, 300);
    assertThat(later.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(first.requestCount() + second.requestCount()).isEqualTo(2);
  }

  @Test
  void callerErrorsNeverCountAgainstAProvider() {
    first.always(Reply.openAiError(400, "invalid_request_error", null, "bad request"));
    for (int i = 0; i < 4; i++) {
      assertThat(chat().statusCode()).isEqualTo(400);
    }

    assertThat(first.requestCount()).isEqualTo(4);
    assertThat(healthOf("first").path("state").asString()).isEqualTo("healthy");
  }
}
