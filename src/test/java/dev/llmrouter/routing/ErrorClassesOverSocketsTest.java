package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ModelMap;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The error classes over real sockets, each with the body its provider really sends (PROTOCOLS.md
 * 8.2), and what the log and the router's own answers say about them.
 */
class ErrorClassesOverSocketsTest {

  private static final String CHAT = "/openai/v1/chat/completions";
  private static final String MESSAGES = "/anthropic/v1/messages";

  private final FakeUpstream first = FakeUpstream.start();
  private final FakeUpstream second = FakeUpstream.start();
  private final FakeUpstream third = FakeUpstream.start();
  private RouterHarness router;

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
    List.of(first, second, third).forEach(FakeUpstream::close);
  }

  private static ProviderConfig openai(String name, String baseUrl) {
    return RouterHarness.provider(name, baseUrl + "/v1");
  }

  private RouterHarness openAiChain() {
    return RouterHarness.builder()
        .openai("first", first)
        .openai("second", second)
        .openai("third", third)
        .start();
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  private JsonNode lastRecord() {
    List<String> lines = router.closeAndReadLog();
    return Json.MAPPER.readTree(lines.get(lines.size() - 1));
  }

  @Test
  void openAiOutOfQuotaMovesOnAndSkipsTheProviderLikeARejectedKey() {
    first.always(
        Reply.json(
                429,
                "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan"
                    + " and billing details.\",\"type\":\"insufficient_quota\",\"param\":null,"
                    + "\"code\":\"insufficient_quota\"}}")
            .withHeader("x-request-id", "req_quota_1"));
    router = openAiChain();

    HttpResponse<String> one = router.post(CHAT, chat("gpt-4o"));
    HttpResponse<String> two = router.post(CHAT, chat("gpt-4o-mini"));

    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(two.headers().firstValue("x-router-attempts")).hasValue("1");
    assertThat(first.requestCount()).isEqualTo(1);
    List<String> lines = router.closeAndReadLog();
    JsonNode failed = Json.MAPPER.readTree(lines.get(0)).path("attempts").get(0);
    assertThat(failed.path("class").asString()).isEqualTo("out_of_credit");
    assertThat(failed.path("detail").asString()).startsWith("You exceeded your current quota");
    assertThat(failed.path("upstream_request_id").asString()).isEqualTo("req_quota_1");
    JsonNode skipped = Json.MAPPER.readTree(lines.get(1)).path("attempts").get(0);
    assertThat(skipped.path("action").asString()).isEqualTo("skipped");
    assertThat(skipped.path("reason").asString()).isEqualTo("key_rejected");
  }

  @Test
  void anthropicLowCreditIsOutOfCreditNotTheCallersFault() {
    first.always(
        Reply.json(
            400,
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Your"
                + " credit balance is too low to access the Anthropic API. Please go to Plans &"
                + " Billing to upgrade or purchase credits.\"},\"request_id\":\"req_011\"}"));
    second.always(Reply.anthropicOk("from second"));
    router = RouterHarness.builder().anthropic("first", first).anthropic("second", second).start();

    HttpResponse<String> r = router.post(MESSAGES, RouterHarness.ANTHROPIC_MESSAGES);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("from second");
    assertThat(lastRecord().path("attempts").get(0).path("class").asString())
        .isEqualTo("out_of_credit");
  }

  private static final String TOO_LONG =
      "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, your"
          + " messages resulted in 8227 tokens. Please reduce the length of the messages.\","
          + "\"type\":\"invalid_request_error\",\"param\":\"messages\","
          + "\"code\":\"context_length_exceeded\"}}";

  @Test
  void aPromptTooLongSkipsAProviderOfTheSameModelAndReachesOneWithAnother() {
    first.always(Reply.json(400, TOO_LONG));
    third.always(Reply.openAiOk("from the bigger model"));
    router =
        RouterHarness.builder()
            .openai("first", first)
            .openai("second", second) // the same gpt-4o: it would fail the same way
            .openai(
                openai("third", third.baseUrl())
                    .withModels(ModelMap.of(List.of(new ModelMap.Entry("gpt-4o", "gpt-4.1")))))
            .start();

    HttpResponse<String> r = router.post(CHAT, chat("gpt-4o"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("from the bigger model");
    assertThat(second.requestCount()).isZero();
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
    assertThat(lastRecord().path("attempts").get(0).path("class").asString())
        .isEqualTo("context_exceeded");
  }

  @Test
  void anthropicPromptTooLongReachesAProviderOfAnotherModel() {
    first.always(
        Reply.json(
            400,
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":"
                + "\"prompt is too long: 208310 tokens > 200000 maximum\"},\"request_id\":\"req_1\"}"));
    second.always(Reply.anthropicOk("a million tokens fit here"));
    router =
        RouterHarness.builder()
            .anthropic("first", first)
            .anthropic(
                RouterHarness.provider("second", second.baseUrl())
                    .withModels(
                        ModelMap.of(
                            List.of(
                                new ModelMap.Entry("claude-sonnet-4-5", "claude-sonnet-4-5-1m")))))
            .start();

    HttpResponse<String> r = router.post(MESSAGES, RouterHarness.ANTHROPIC_MESSAGES);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("a million tokens fit here");
    assertThat(r.headers().firstValue("x-router-model")).hasValue("claude-sonnet-4-5-1m");
    assertThat(lastRecord().path("attempts").get(0).path("class").asString())
        .isEqualTo("context_exceeded");
  }

  @Test
  void aPromptTooLongForEveryModelIsTheProvidersOwn400() {
    first.always(Reply.json(400, TOO_LONG));
    router = openAiChain();

    HttpResponse<String> r = router.post(CHAT, chat("gpt-4o"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(r.body()).path("error").path("code").asString())
        .isEqualTo("context_length_exceeded");
    assertThat(second.requestCount() + third.requestCount()).isZero();
    // No cooldown: the provider is healthy and serves the next, shorter prompt.
    first.always(Reply.openAiOk("short enough"));
    assertThat(router.post(CHAT, chat("gpt-4o")).body()).contains("short enough");
  }

  @Test
  void aFilteredPromptMovesToAnotherHost() {
    first.always(
        Reply.json(
            400,
            "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure"
                + " OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\","
                + "\"code\":\"content_filter\",\"status\":400}}"));
    router =
        RouterHarness.builder()
            .openai("first", first)
            .openai("second-same-host", second) // 127.0.0.1 too
            .openai(openai("third", "http://localhost:" + third.port()))
            .start();

    HttpResponse<String> r = router.post(CHAT, chat("gpt-4o"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(second.requestCount()).isZero();
    assertThat(third.requestCount()).isEqualTo(1);
  }

  @Test
  void aModelNotServedIsSkippedForThatModelOnTheNextRequests() {
    first.always(
        Reply.json(
            400, "{\"error\":{\"message\":\"gpt-9 is not a valid model ID\",\"code\":400}}"));
    router = openAiChain();

    router.post(CHAT, chat("gpt-9"));
    HttpResponse<String> again = router.post(CHAT, chat("gpt-9"));
    first.always(Reply.openAiOk("served"));
    HttpResponse<String> other = router.post(CHAT, chat("gpt-4o"));

    assertThat(first.requestCount()).isEqualTo(2);
    assertThat(again.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(other.body()).contains("served");
    JsonNode health =
        Json.MAPPER.readTree(router.get("/health").body()).path("endpoints").path("openai");
    assertThat(health.path("providers").get(0).path("models_not_served").path("gpt-9").asLong())
        .isPositive();
  }

  @Test
  void anErrorObjectInA200IsNeverReturnedAsAnAnswer() {
    first.always(
        Reply.json(200, "{\"error\":{\"message\":\"Provider returned error\",\"code\":502}}"));
    second.always(Reply.openAiOk("a real answer"));
    router = openAiChain();

    HttpResponse<String> r = router.post(CHAT, chat("gpt-4o"));

    assertThat(r.body()).contains("a real answer");
    JsonNode failed = lastRecord().path("attempts").get(0);
    assertThat(failed.path("class").asString()).isEqualTo("server_error");
    assertThat(failed.path("detail").asString()).isEqualTo("Provider returned error");
  }

  @Test
  void whenEveryProviderFailsTheAnswerNamesEachWithItsReason() {
    first.always(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o")
            .withHeader("retry-after", "20"));
    second.always(
        Reply.json(
            400, "{\"error\":{\"message\":\"model 'gpt-4o' does not exist\",\"code\":400}}"));
    third.always(Reply.openAiError(500, "server_error", null, "boom"));
    router = openAiChain();

    HttpResponse<String> r = router.post(CHAT, chat("gpt-4o"));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Json.MAPPER.readTree(r.body()).path("error").path("message").asString())
        .isEqualTo(
            "All providers failed: first 429 rate limited: \"Rate limit reached for gpt-4o\""
                + " (Retry-After 20 s); second 400 model not served: \"model 'gpt-4o' does not"
                + " exist\"; third 500 server error: \"boom\"");
  }

  @Test
  void everyProviderCoolingLongerThanTheCapIsAnswered429AtOnceWithItsRetryAfter() {
    first.always(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after", "30"));
    router = RouterHarness.builder().openai("first", first).start();
    router.post(CHAT, chat("gpt-4o"));

    HttpResponse<String> r = router.post(CHAT, chat("gpt-4o"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
        .isBetween(29L, 30L);
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("0");
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(r.body()).path("error").path("type").asString())
        .isEqualTo("rate_limit_exceeded");
  }

  @Test
  void aShortCooldownIsWaitedForAndTheLogSaysSoAndItIsNoError() {
    first.enqueue(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after-ms", "300"));
    first.always(Reply.openAiOk("after the wait"));
    router = RouterHarness.builder().openai("first", first).start();
    router.post(CHAT, chat("gpt-4o"));

    HttpResponse<String> r = router.post(CHAT, chat("gpt-4o"));

    assertThat(r.body()).contains("after the wait");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("1");
    List<String> errors = router.closeAndReadErrorLog();
    List<String> all = RouterHarness.readLines(router.router().logFile());
    JsonNode waited = Json.MAPPER.readTree(all.get(1)).path("attempts");
    assertThat(waited.get(0).path("reason").asString()).isEqualTo("cooling_down");
    assertThat(waited.get(1).path("waited_ms").asDouble()).isPositive();
    // The first request failed (a 429 answered to the client); the second only skipped: no error.
    assertThat(errors).hasSize(1);
  }
}
