package dev.llmrouter.routes;

import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.config.ModelMap;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Received;
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

/**
 * Embeddings, legacy completions and count_tokens with the guarantees chat has (issue 15, points 2
 * to 4): fallback, paths, usage in the log, gateway keys, shared cooldowns, logged 404s.
 */
class OtherRoutesOverSocketsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String EMBED =
      "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}";
  private static final String COMPLETE =
      "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say\"}";
  private static final String COUNT =
      "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

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

  /**
   * /metrics once it holds every line: a request is counted as it is logged, just after its answer
   * went out, so a client can read /metrics before that (bounded wait).
   */
  private String awaitMetrics(List<String> lines) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String text = router.get("/metrics").body();
    while (!lines.stream().allMatch(text::contains) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      text = router.get("/metrics").body();
    }
    return text;
  }

  private static Reply rateLimited() {
    return Reply.openAiError(429, "requests", "rate_limit_exceeded", "Rate limit reached")
        .withHeader("retry-after", "30");
  }

  @Test
  void embeddingsFallBackAndLogTheirUsage() {
    first.always(rateLimited());
    String body = ResponsesWire.embeddings(2);
    second.always(Reply.json(200, body));
    router = RouterHarness.builder().openai("first", first).openai("second", second).start();

    HttpResponse<String> r = router.post("/openai/v1/embeddings", EMBED);
    HttpResponse<String> shortPath = router.post("/openai/embeddings", EMBED);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    assertThat(shortPath.body()).isEqualTo(body);
    assertThat(second.awaitRequest(1, WAIT).target()).isEqualTo("/v1/embeddings");
    assertThat(first.awaitRequest(1, WAIT).target()).isEqualTo("/v1/embeddings");
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("path").asString()).isEqualTo("/openai/v1/embeddings");
    assertThat(line.path("usage").path("prompt_tokens").asInt()).isEqualTo(8);
    // The vectors are the client's, not the log's: each is replaced by its size.
    JsonNode logged = line.path("response").path("data");
    assertThat(logged.size()).isEqualTo(2);
    assertThat(logged.get(1).path("index").asInt()).isEqualTo(1);
    assertThat(logged.get(1).path("embedding").asString()).isEqualTo("<not logged: 3 numbers>");
    assertThat(line.path("response").path("model").asString()).isEqualTo("text-embedding-3-small");
  }

  @Test
  void legacyCompletionsFallBackStreamedOrNotAndLogTheirUsage() {
    first.always(rateLimited());
    second.enqueue(Reply.json(200, ResponsesWire.completion("Hello")));
    List<String> events = ResponsesWire.completionStream("Hel", "lo");
    second.enqueue(Reply.sse(events));
    router = RouterHarness.builder().openai("first", first).openai("second", second).start();

    HttpResponse<String> r = router.post("/openai/v1/completions", COMPLETE);
    List<String> got;
    try (SseClient c =
        SseClient.post(
            router.uri("/openai/completions"),
            "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say\",\"stream\":true}")) {
      got = c.rest(WAIT);
    }

    assertThat(r.body()).contains("\"text_completion\"", "Hello");
    assertThat(got).isEqualTo(events);
    assertThat(second.awaitRequest(2, WAIT).target()).isEqualTo("/v1/completions");
    List<String> log = router.closeAndReadLog();
    assertThat(Json.MAPPER.readTree(log.get(0)).path("usage").path("completion_tokens").asInt())
        .isEqualTo(7);
    JsonNode streamed = Json.MAPPER.readTree(log.get(1));
    assertThat(streamed.path("response").path("content").asString()).isEqualTo("Hello");
    assertThat(streamed.path("usage").path("total_tokens").asInt()).isEqualTo(12);
  }

  @Test
  void countTokensGoesToAnthropicProvidersWithItsHeadersAndQuery() {
    first.always(Reply.anthropicError(529, "overloaded_error", "Overloaded"));
    second.always(Reply.json(200, "{\"input_tokens\":2095}"));
    router =
        RouterHarness.builder()
            .anthropic(provider("oa", first.baseUrl() + "/v1").withApi(Family.OPENAI))
            .anthropic("busy", first)
            .anthropic("second", second)
            .start();

    HttpResponse<String> r =
        router.post(
            "/anthropic/v1/messages/count_tokens?beta=true",
            COUNT,
            "anthropic-beta",
            "token-counting-2024-11-01",
            "anthropic-version",
            "2023-06-01");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"input_tokens\":2095}");
    Received got = second.awaitRequest(1, WAIT);
    assertThat(got.target()).isEqualTo("/v1/messages/count_tokens?beta=true");
    assertThat(got.header("anthropic-beta")).isEqualTo("token-counting-2024-11-01");
    assertThat(got.header("x-api-key")).isEqualTo(RouterHarness.keyOf("second"));
    JsonNode attempts = Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts");
    assertThat(attempts.get(0).path("reason").asString()).isEqualTo("not_translatable");
    assertThat(attempts.get(1).path("action").asString()).isEqualTo("fallback");
  }

  @Test
  void countTokensWithOnlyOpenAiProvidersIs404InTheAnthropicShape() {
    router =
        RouterHarness.builder()
            .anthropic(provider("oa", first.baseUrl() + "/v1").withApi(Family.OPENAI))
            .start();

    HttpResponse<String> r = router.post("/anthropic/v1/messages/count_tokens", COUNT);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("0");
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("type").asString()).isEqualTo("error");
    assertThat(body.path("error").path("type").asString()).isEqualTo("not_found_error");
    assertThat(body.path("error").path("message").asString())
        .contains("No provider can count tokens for the model 'claude-x'");
    assertThat(first.requestCount()).isZero();
    HttpResponse<String> noModel =
        router.post("/anthropic/v1/messages/count_tokens", "{\"messages\":[]}");
    assertThat(noModel.statusCode()).isEqualTo(404);
    assertThat(noModel.body()).contains("No provider can count tokens:");
    // Logged as a walk past the provider would be: skipped, and why.
    JsonNode attempts = Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts");
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).path("provider").asString()).isEqualTo("oa");
    assertThat(attempts.get(0).path("reason").asString()).isEqualTo("not_translatable");
  }

  @Test
  void embeddingsAndCountTokensSendEachProviderItsOwnModelId() {
    first.always(Reply.json(200, ResponsesWire.embeddings(2)));
    second.always(Reply.json(200, "{\"input_tokens\":3}"));
    router =
        RouterHarness.builder()
            .openai(
                provider("emb", first.baseUrl() + "/v1")
                    .withModels(
                        ModelMap.of(
                            List.of(
                                new ModelMap.Entry("text-embedding-3-small", "nomic-embed-text")))))
            .anthropic(
                provider("claude", second.baseUrl())
                    .withModels(ModelMap.of(List.of(new ModelMap.Entry("claude-x", "claude-y")))))
            .start();

    router.post("/openai/v1/embeddings", EMBED);
    router.post("/anthropic/v1/messages/count_tokens", COUNT);
    HttpResponse<String> unknown =
        router.post("/openai/v1/embeddings", "{\"model\":\"other\",\"input\":\"a\"}");

    assertThat(first.awaitRequest(1, WAIT).bodyText())
        .isEqualTo(EMBED.replace("text-embedding-3-small", "nomic-embed-text"));
    assertThat(second.awaitRequest(1, WAIT).bodyText())
        .isEqualTo(COUNT.replace("claude-x", "claude-y"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void bodyLimitsAndTheInFlightCapHoldOnTheNewRoutes() {
    second.always(Reply.json(200, ResponsesWire.embeddings(1)));
    router = RouterHarness.builder().maxBodyBytes(1024).openai("second", second).start();

    HttpResponse<String> big =
        router.post(
            "/openai/v1/responses", "{\"model\":\"m\",\"input\":\"" + "x".repeat(2000) + "\"}");

    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void aRateLimitOnChatCoolsTheSameModelOnResponses() {
    first.always(rateLimited());
    second.always(Reply.openAiOk("from second"));
    router = RouterHarness.builder().openai("first", first).openai("second", second).start();

    router.post("/openai/v1/chat/completions", "{\"model\":\"gpt-x\",\"messages\":[]}");
    second.always(Reply.json(200, ResponsesWire.response("resp_1", "ok")));
    HttpResponse<String> r =
        router.post("/openai/v1/responses", "{\"model\":\"gpt-x\",\"input\":\"Hi\"}");

    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(first.requestCount()).isEqualTo(1);
    JsonNode attempts = Json.MAPPER.readTree(router.closeAndReadLog().get(1)).path("attempts");
    assertThat(attempts.get(0).path("action").asString()).isEqualTo("skipped");
  }

  /**
   * Anthropic: "token counting and message creation have separate and independent rate limits".
   * Claude Code's /context sends count_tokens 26 times: its 429 must not stop Messages.
   */
  @Test
  void countTokensAndMessagesCoolTheirModelApart() {
    Reply limited =
        Reply.anthropicError(429, "rate_limit_error", "Rate limit for token counting")
            .withHeader("retry-after", "30");
    first.enqueue(limited);
    first.always(Reply.anthropicOk("counted apart"));
    router = RouterHarness.builder().anthropic("claude", first).start();
    String messages = "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[]}";

    HttpResponse<String> counted = router.post("/anthropic/v1/messages/count_tokens", COUNT);
    HttpResponse<String> answered = router.post("/anthropic/v1/messages", messages);
    HttpResponse<String> countedAgain = router.post("/anthropic/v1/messages/count_tokens", COUNT);

    assertThat(counted.statusCode()).isEqualTo(429);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(answered.body()).contains("counted apart");
    // count_tokens itself still waits out its own limit, without a call.
    assertThat(countedAgain.statusCode()).isEqualTo(429);
    assertThat(countedAgain.headers().firstValue("x-router-attempts")).hasValue("0");
    assertThat(first.requestCount()).isEqualTo(2);

    // And the other way: Messages' 429 leaves counting alone.
    first.enqueue(limited);
    String other = messages.replace("claude-x", "claude-z");
    assertThat(router.post("/anthropic/v1/messages", other).statusCode()).isEqualTo(429);
    first.always(Reply.json(200, "{\"input_tokens\":7}"));
    HttpResponse<String> count =
        router.post("/anthropic/v1/messages/count_tokens", COUNT.replace("claude-x", "claude-z"));
    assertThat(count.statusCode()).isEqualTo(200);
    assertThat(count.body()).isEqualTo("{\"input_tokens\":7}");
    assertThat(first.requestCount()).isEqualTo(4);
  }

  @Test
  void aKeyTheUpstreamEchoesIsRedactedAndEachRouteHasItsMetricsLabel() {
    String echo =
        "{\"error\":{\"message\":\"Incorrect API key provided: "
            + RouterHarness.keyOf("second")
            + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
    second.always(Reply.json(400, echo));
    router = RouterHarness.builder().openai("second", second).start();

    HttpResponse<String> responses =
        router.post("/openai/v1/responses", "{\"model\":\"gpt-x\",\"input\":\"Hi\"}");
    HttpResponse<String> embeddings = router.post("/openai/v1/embeddings", EMBED);
    HttpResponse<String> completions = router.post("/openai/v1/completions", COMPLETE);
    List<String> expected = new java.util.ArrayList<>();
    for (String route : List.of("responses", "embeddings", "completions")) {
      expected.add(
          "llm_router_requests_total{endpoint=\"openai\",route=\""
              + route
              + "\",status=\"400\"} 1");
    }
    String metrics = awaitMetrics(expected);

    for (HttpResponse<String> r : List.of(responses, embeddings, completions)) {
      assertThat(r.statusCode()).isEqualTo(400); // a caller error, returned as it is
      assertThat(r.body()).doesNotContain(RouterHarness.keyOf("second")).contains("[REDACTED]");
    }
    assertThat(metrics).contains(expected);
    assertThat(String.join("\n", router.closeAndReadLog()))
        .doesNotContain(RouterHarness.keyOf("second"));
  }

  @Test
  void aServerErrorIsRetriedOnEmbeddingsAsOnChat() {
    first.enqueue(Reply.openAiError(500, "server_error", null, "boom"));
    first.always(Reply.json(200, ResponsesWire.embeddings(2)));
    router =
        RouterHarness.builder()
            .openai(provider("first", first.baseUrl() + "/v1", Duration.ofSeconds(5), 1))
            .start();

    HttpResponse<String> r = router.post("/openai/v1/embeddings", EMBED);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(first.requestCount()).isEqualTo(2);
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
  }

  @Test
  void gatewayKeysGuardEveryNewRoute() {
    second.always(Reply.json(200, ResponsesWire.embeddings(1)));
    router = RouterHarness.builder().apiKeys("gw-key-0123456789").openai("second", second).start();

    for (String path :
        List.of(
            "/openai/v1/responses",
            "/openai/v1/embeddings",
            "/openai/v1/completions",
            "/anthropic/v1/messages/count_tokens")) {
      assertThat(router.post(path, EMBED).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(router.get("/openai/v1/responses/resp_1").statusCode()).isEqualTo(401);
    assertThat(
            router
                .post("/openai/v1/embeddings", EMBED, "Authorization", "Bearer gw-key-0123456789")
                .statusCode())
        .isEqualTo(200);
    assertThat(second.requestCount()).isEqualTo(1);
    assertThat(second.awaitRequest(1, WAIT).header("authorization"))
        .isEqualTo("Bearer " + RouterHarness.keyOf("second"));
  }

  @Test
  void pathsTheRouterDoesNotServeAre404InTheirShapeListTheRoutesAndAreLogged() {
    router = RouterHarness.builder().openai("second", second).start();

    HttpResponse<String> images = router.post("/openai/v1/images/generations", "{}");
    HttpResponse<String> batches = router.get("/anthropic/v1/messages/batches");

    assertThat(images.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(images.body()).path("error").path("message").asString())
        .contains("/openai/v1/responses", "/openai/v1/embeddings", "/openai/v1/completions");
    assertThat(batches.statusCode()).isEqualTo(404);
    JsonNode anthropic = Json.MAPPER.readTree(batches.body());
    assertThat(anthropic.path("type").asString()).isEqualTo("error");
    assertThat(anthropic.path("error").path("message").asString())
        .contains("/anthropic/v1/messages/count_tokens");
    assertThat(
            awaitMetrics(
                List.of(
                    "llm_router_requests_total{endpoint=\"openai\",route=\"unknown\",status=\"404\"} 1")))
        .contains(
            "llm_router_requests_total{endpoint=\"openai\",route=\"unknown\",status=\"404\"} 1");
    // Each record is handed to the log after its answer is written: the two may come in any order.
    List<JsonNode> log =
        router.closeAndReadLog().stream().map(l -> Json.MAPPER.readTree(l)).toList();
    assertThat(log).hasSize(2);
    JsonNode line =
        log.stream()
            .filter(l -> l.path("path").asString().equals("/openai/v1/images/generations"))
            .findFirst()
            .orElseThrow();
    assertThat(line.path("status").asInt()).isEqualTo(404);
    assertThat(line.path("method").asString()).isEqualTo("POST");
    assertThat(line.path("request").isMissingNode() || line.path("request").isNull()).isTrue();
    JsonNode other =
        log.stream()
            .filter(l -> l.path("path").asString().equals("/anthropic/v1/messages/batches"))
            .findFirst()
            .orElseThrow();
    assertThat(other.path("method").asString()).isEqualTo("GET");
    assertThat(second.requestCount()).isZero();
  }
}
