package dev.llmrouter.routes;

import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ResponsesWire;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.SseClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Responses API route, end to end: real router, fake OpenAI providers on loopback. */
class ResponsesApiOverSocketsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CREATE = "{\"model\":\"gpt-x\",\"input\":\"Hi\"}";
  private static final String STREAM = "{\"model\":\"gpt-x\",\"input\":\"Hi\",\"stream\":true}";

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;

  @BeforeEach
  void fakes() {
    first = FakeUpstream.start();
    second = FakeUpstream.start();
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    first.close();
    second.close();
  }

  private RouterHarness twoProviders() {
    router = RouterHarness.builder().openai("first", first).openai("second", second).start();
    return router;
  }

  private static Reply rateLimited() {
    return Reply.openAiError(
            429, "requests", "rate_limit_exceeded", "Rate limit reached for requests")
        .withHeader("retry-after", "20");
  }

  @Test
  void aRateLimitedFirstProviderFallsBackAndTheAnswerIsRelayedAsItIs() {
    first.always(rateLimited());
    String body = ResponsesWire.response("resp_2", "from second");
    second.always(Reply.json(200, body));
    twoProviders();

    HttpResponse<String> r = router.post("/openai/v1/responses", CREATE);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
    assertThat(first.awaitRequest(1, WAIT).target()).isEqualTo("/v1/responses");
    assertThat(second.awaitRequest(1, WAIT).target()).isEqualTo("/v1/responses");
    assertThat(second.awaitRequest(1, WAIT).bodyText()).isEqualTo(CREATE);
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("path").asString()).isEqualTo("/openai/v1/responses");
    assertThat(line.path("endpoint").asString()).isEqualTo("openai");
    assertThat(line.path("usage").path("input_tokens").asInt()).isEqualTo(9);
  }

  @Test
  void aBodyWithAByteOrderMarkIs400InTheOpenAiShapeAndEveryLogLineIsJson() {
    second.always(Reply.json(200, ResponsesWire.response("resp_2", "ok")));
    router = RouterHarness.builder().openai("second", second).start();

    HttpResponse<String> r = router.post("/openai/v1/responses", "\uFEFF" + CREATE);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asString()).contains("byte order mark");
    assertThat(second.requestCount()).isZero();
    assertThat(router.post("/openai/v1/responses", CREATE).statusCode()).isEqualTo(200);
    List<String> lines = router.closeAndReadLog();
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      assertThat(Json.MAPPER.readTree(line).path("status").asInt()).isPositive();
    }
  }

  @Test
  void aUtf16BodyIs400InTheOpenAiShapeNotA500AndNeverGoesUpstream() {
    second.always(Reply.json(200, ResponsesWire.response("resp_2", "ok")));
    router = RouterHarness.builder().openai("second", second).start();

    HttpResponse<String> r =
        RouterHarness.send(
            java.net.http.HttpRequest.newBuilder(router.uri("/openai/v1/responses"))
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                        CREATE.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)))
                .build());

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asString()).contains("not UTF-8");
    assertThat(second.requestCount()).isZero();
    for (String line : router.closeAndReadLog()) {
      assertThat(Json.MAPPER.readTree(line).path("status").asInt()).isEqualTo(400);
    }
  }

  @Test
  void theShortPathServesTooAndTheQueryGoesAlong() {
    second.always(Reply.json(200, ResponsesWire.response("resp_2", "ok")));
    router = RouterHarness.builder().openai("second", second).start();

    assertThat(router.post("/openai/responses?x=1", CREATE).statusCode()).isEqualTo(200);
    assertThat(second.awaitRequest(1, WAIT).target()).isEqualTo("/v1/responses?x=1");
  }

  @Test
  void aStreamFallsBackBeforeItsFirstEventAndIsRelayedByteForByteAndLoggedWithUsage() {
    first.always(rateLimited());
    List<String> events = ResponsesWire.stream("resp_s", "Hel", "lo");
    second.always(Reply.sse(events));
    twoProviders();

    String relayed;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      assertThat(client.response().statusCode()).isEqualTo(200);
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("second");
      client.rest(WAIT);
      relayed = new String(client.bytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    assertThat(relayed).isEqualTo(String.join("\n\n", events) + "\n\n");
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("stream_result").path("end").asString()).isEqualTo("completed");
    assertThat(line.path("response").path("content").asString()).isEqualTo("Hello");
    assertThat(line.path("response").path("id").asString()).isEqualTo("resp_s");
    // The final Response object, as a non-streamed answer is logged.
    assertThat(line.path("response").path("object").asString()).isEqualTo("response");
    assertThat(line.path("response").path("status").asString()).isEqualTo("completed");
    assertThat(
            line.path("response")
                .path("output")
                .path(0)
                .path("content")
                .path(0)
                .path("text")
                .asString())
        .isEqualTo("Hello");
    assertThat(line.path("usage").path("input_tokens").asInt()).isEqualTo(9);
    assertThat(line.path("usage").path("output_tokens").asInt()).isEqualTo(12);
  }

  @Test
  void anErrorAsTheFirstEventFallsBackLikeA429() {
    first.always(Reply.sse(List.of(ResponsesWire.errorEvent(0, "too_many_requests"))));
    second.always(Reply.sse(ResponsesWire.stream("resp_2", "ok")));
    twoProviders();

    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("second");
      assertThat(String.join("\n", client.rest(WAIT))).contains("response.completed");
    }
  }

  @Test
  void anAnthropicProviderIsSkippedAsNotTranslatable() {
    second.always(Reply.json(200, ResponsesWire.response("resp_2", "ok")));
    router =
        RouterHarness.builder()
            .openai(provider("claude", first.baseUrl()).withApi(Family.ANTHROPIC))
            .openai("second", second)
            .start();

    HttpResponse<String> r = router.post("/openai/v1/responses", CREATE);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(first.requestCount()).isZero();
    JsonNode attempts = Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts");
    assertThat(attempts.get(0).path("provider").asString()).isEqualTo("claude");
    assertThat(attempts.get(0).path("action").asString()).isEqualTo("skipped");
    assertThat(attempts.get(0).path("reason").asString()).isEqualTo("not_translatable");
  }

  @Test
  void onlyAnthropicProvidersAnswer404InTheOpenAiShape() {
    router =
        RouterHarness.builder()
            .openai(provider("claude", first.baseUrl()).withApi(Family.ANTHROPIC))
            .start();

    HttpResponse<String> r = router.post("/openai/v1/responses", CREATE);

    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
    assertThat(error.path("message").asString()).contains("/openai/v1/responses", "gpt-x");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(first.requestCount()).isZero();
    // Logged as a walk past it would be: the provider skipped, and why.
    JsonNode attempts = Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts");
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).path("provider").asString()).isEqualTo("claude");
    assertThat(attempts.get(0).path("action").asString()).isEqualTo("skipped");
    assertThat(attempts.get(0).path("reason").asString()).isEqualTo("not_translatable");
  }
}
