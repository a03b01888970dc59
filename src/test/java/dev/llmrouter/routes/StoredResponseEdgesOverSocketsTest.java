package dev.llmrouter.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ResponsesWire;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.SseClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The edges of the new routes: ids as paths (encoded, dot segments), HEAD, a holder changed by a
 * reload, and a provider that lacks a route (its 404 must not cost the model on chat).
 */
class StoredResponseEdgesOverSocketsTest extends TwoResponsesProviders {

  private void secondMakes(String id) {
    first.enqueue(rateLimited());
    second.enqueue(Reply.json(200, ResponsesWire.response(id, "made by second")));
    router.post("/openai/v1/responses", "{\"model\":\"gpt-x\",\"input\":\"Hi\"}");
  }

  @Test
  void anErrorAnsweredAboutAnUnknownIdIsReturnedAndLoggedAsReturned() {
    first.always(
        Reply.json(
            500,
            "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,"
                + "\"code\":null}}"));

    HttpResponse<String> r = router.get("/openai/v1/responses/resp_qq");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(second.requestCount()).isZero();
    assertThat(router.awaitLogLines(1, WAIT)).isTrue(); // counted as it is logged
    String metrics = router.get("/metrics").body();
    JsonNode attempt =
        Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts").get(0);
    assertThat(attempt.path("action").asString()).isEqualTo("returned");
    assertThat(attempt.path("status").asInt()).isEqualTo(500);
    assertThat(metrics)
        .contains(
            "llm_router_attempts_total{endpoint=\"openai\",provider=\"first\","
                + "outcome=\"returned\"} 1")
        .doesNotContain("outcome=\"success\"");
  }

  @Test
  void aProviderThatCannotBeReachedOnTheWalkCountsAsAFailedAttempt() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    router.close();
    router =
        RouterHarness.builder()
            .openai(RouterHarness.provider("dead", "http://127.0.0.1:" + closedPort + "/v1"))
            .openai("second", second)
            .start();
    second.always(Reply.json(200, ResponsesWire.response("resp_walk1", "kept by second")));

    HttpResponse<String> r = router.get("/openai/v1/responses/resp_walk1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(router.awaitLogLines(1, WAIT)).isTrue(); // counted as it is logged
    String health = router.get("/health").body();
    String metrics = router.get("/metrics").body();
    JsonNode attempt =
        Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts").get(0);
    assertThat(attempt.path("provider").asString()).isEqualTo("dead");
    assertThat(attempt.path("class").asString()).isEqualTo("connect");
    assertThat(attempt.path("action").asString()).isEqualTo("fallback");
    assertThat(metrics)
        .contains(
            "llm_router_attempt_failures_total{endpoint=\"openai\",provider=\"dead\","
                + "class=\"connect\",outcome=\"fallback\"} 1");
    JsonNode dead = null;
    for (JsonNode list : Json.MAPPER.readTree(health).findValues("providers")) {
      for (JsonNode p : list) {
        if (p.path("name").asString().equals("dead")) {
          dead = p;
        }
      }
    }
    assertThat(dead).isNotNull();
    assertThat(dead.path("failures").asInt()).isEqualTo(1);
  }

  @Test
  void a404FromAProviderWithoutTheResponsesRouteDoesNotCostItTheModelOnChat() {
    first.enqueue(Reply.json(404, "{\"detail\":\"Not Found\"}")); // vLLM without /responses
    second.always(Reply.json(200, ResponsesWire.response("resp_1", "ok")));
    assertThat(
            router
                .post("/openai/v1/responses", "{\"model\":\"gpt-x\",\"input\":\"Hi\"}")
                .headers()
                .firstValue("x-router-provider"))
        .hasValue("second");

    first.always(Reply.openAiOk("chat from first"));
    HttpResponse<String> chat =
        router.post("/openai/v1/chat/completions", "{\"model\":\"gpt-x\",\"messages\":[]}");

    assertThat(chat.headers().firstValue("x-router-provider")).hasValue("first");
  }

  @Test
  void a404OnChatDoesNotCostTheProviderTheModelOnTheRoutesChatLacks() {
    // OpenAI on chat: 404 "This is not a chat model" (an embeddings or instruct model) or "only
    // supported in v1/responses": the same model is served on the other routes.
    first.always(
        Reply.openAiError(
            404, "invalid_request_error", "model_not_found", "This is not a chat model."));
    router.post("/openai/v1/chat/completions", "{\"model\":\"emb-x\",\"messages\":[]}");
    first.always(
        Reply.json(
            200,
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[0.1]}],\"model\":\"emb-x\",\"usage\":{\"prompt_tokens\":1,"
                + "\"total_tokens\":1}}"));

    HttpResponse<String> e =
        router.post("/openai/v1/embeddings", "{\"model\":\"emb-x\",\"input\":\"hi\"}");

    assertThat(e.statusCode()).isEqualTo(200);
    assertThat(e.headers().firstValue("x-router-provider")).hasValue("first");
  }

  @Test
  void countTokensThatEveryProviderLacksIsA404SayingSoNotA502() {
    // Claude Code's /context falls back to estimates on a 404; a 502 reads as an outage.
    try (FakeUpstream a = FakeUpstream.start();
        RouterHarness r2 = RouterHarness.builder().anthropic("a", a).start()) {
      a.always(Reply.anthropicError(404, "not_found_error", "Not Found"));

      HttpResponse<String> c =
          r2.post(
              "/anthropic/v1/messages/count_tokens",
              "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

      assertThat(c.statusCode()).isEqualTo(404);
      JsonNode body = Json.MAPPER.readTree(c.body());
      assertThat(body.path("error").path("type").asString()).isEqualTo("not_found_error");
      assertThat(body.path("error").path("message").asString())
          .startsWith("No provider can count tokens for this model");
    }
  }

  @Test
  void a404OnCountTokensDoesNotCostTheProviderTheModelOnMessages() {
    try (FakeUpstream a = FakeUpstream.start();
        FakeUpstream b = FakeUpstream.start();
        RouterHarness r2 = RouterHarness.builder().anthropic("a", a).anthropic("b", b).start()) {
      a.enqueue(Reply.anthropicError(404, "not_found_error", "Not Found"));
      b.always(Reply.json(200, "{\"input_tokens\":12}"));
      r2.post(
          "/anthropic/v1/messages/count_tokens",
          "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
      a.always(Reply.anthropicOk("from a"));

      HttpResponse<String> m =
          r2.post(
              "/anthropic/v1/messages",
              "{\"model\":\"claude-x\",\"max_tokens\":5,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

      assertThat(m.headers().firstValue("x-router-provider")).hasValue("a");
    }
  }

  @Test
  void aPercentEncodedIdFindsItsProviderAndGoesUpstreamEncoded() {
    secondMakes("resp_a+b=");
    first.always(Reply.openAiError(400, "invalid_request_error", null, "Invalid id"));
    second.always(Reply.json(200, ResponsesWire.response("resp_a+b=", "stored")));

    HttpResponse<String> r = router.get("/openai/v1/responses/resp_a%2Bb%3D");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(second.awaitRequest(2, WAIT).target()).isEqualTo("/v1/responses/resp_a%2Bb%3D");
  }

  @Test
  void idsThatWouldLeaveTheRouteAre404AndNeverForwarded() {
    first.always(Reply.json(200, "{\"object\":\"list\"}"));
    second.always(Reply.json(200, "{\"object\":\"list\"}"));
    for (String target :
        List.of(
            "/openai/v1/responses/../input_items",
            "/openai/v1/responses/%2e%2e/input_items",
            "/openai/v1/responses/..%2F..%2Ffiles%2Ffile_1",
            "/openai/v1/responses/%20")) {
      RawHttp.Answer a =
          RawHttp.exchange(
              router.router().port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(a.status()).as(target).isEqualTo(404);
    }
    // The SDK's further routes are not ids: they are not served, and say which routes are.
    HttpResponse<String> compact = router.post("/openai/v1/responses/compact", "{}");
    assertThat(compact.statusCode()).isEqualTo(404);
    assertThat(compact.body()).contains("/openai/v1/responses");
    assertThat(first.requestCount() + second.requestCount()).isZero();
  }

  @Test
  void aStreamedRetrieveIsRelayedEventByEventFromTheProviderThatHasIt() {
    // openai-node's responses.retrieve(id, {stream: true}), resuming a background response: the
    // second provider holds it and is still generating (its stream stays open after 3 events).
    first.always(Reply.openAiError(404, "invalid_request_error", null, "No response found"));
    List<String> events = ResponsesWire.stream("resp_bg", "a", "b");
    second.always(Reply.sse(events).hangAfter(3));

    try (SseClient client =
        SseClient.get(router.uri("/openai/v1/responses/resp_bg?stream=true&starting_after=0"))) {
      assertThat(client.response().statusCode()).isEqualTo(200);
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("second");
      for (int i = 0; i < 3; i++) {
        assertThat(client.next(Duration.ofSeconds(10))).isEqualTo(events.get(i).strip());
      }
    }
    assertThat(second.received().get(0).target())
        .isEqualTo("/v1/responses/resp_bg?stream=true&starting_after=0");
    // No body says it is a stream: the record says so all the same.
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("stream").asBoolean()).isTrue();
  }

  @Test
  void aStoredResponseWhoseLastProviderTimesOutIs504NamingEachFailure() {
    // As on the other routes (README error table): a timeout is a 504, not a 502 saying nobody
    // could be asked, and the message says what each provider answered.
    router.close();
    first.always(Reply.openAiError(404, "invalid_request_error", null, "No response found"));
    second.always(Reply.hang());
    router =
        RouterHarness.builder()
            .openai("first", first)
            .openai(
                RouterHarness.provider(
                    "second", second.baseUrl() + "/v1", Duration.ofMillis(300), 0))
            .start();

    HttpResponse<String> r = router.get("/openai/v1/responses/resp_slow");

    assertThat(r.statusCode()).isEqualTo(504);
    JsonNode error = Json.MAPPER.readTree(r.body()).path("error");
    assertThat(error.path("code").asString()).isEqualTo("upstream_timeout");
    assertThat(error.path("message").asString())
        .contains("The last provider timed out", "resp_slow", "first 404", "second timed out");
  }

  @Test
  void anIdThatHoldsTheGatewayKeyIsRefusedAndNeverForwarded() {
    first.always(Reply.json(200, ResponsesWire.response("resp_1", "x")));
    String key = "gw-key-0123456789";
    try (RouterHarness keyed =
        RouterHarness.builder().apiKeys(key).openai("first", first).start()) {
      HttpResponse<String> r =
          RouterHarness.send(
              HttpRequest.newBuilder(keyed.uri("/openai/v1/responses/resp_" + key))
                  .header("Authorization", "Bearer " + key)
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build());

      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).doesNotContain(key).contains("gateway key");
    }
    assertThat(first.requestCount()).isZero();
  }

  @Test
  void theIdIsQuotedInThe404WhateverItsCharactersOrLength() {
    Reply notFound = Reply.openAiError(404, "invalid_request_error", null, "No such response");
    first.always(notFound);
    second.always(notFound);

    HttpResponse<String> accented = router.get("/openai/v1/responses/caf%C3%A9");
    HttpResponse<String> longId = router.get("/openai/v1/responses/" + "x".repeat(300));

    assertThat(accented.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(accented.body()).path("error").path("message").asString())
        .isEqualTo("No provider of this endpoint knows the response 'café'.");
    assertThat(longId.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(longId.body()).path("error").path("message").asString())
        .isEqualTo("No provider of this endpoint knows the response '" + "x".repeat(200) + "...'.");
  }

  @Test
  void anUnknownIdsWalkLogsAProviderOfTheOtherApiAsSkipped() {
    router.close();
    FakeUpstream claude = FakeUpstream.start();
    try {
      router =
          RouterHarness.builder()
              .openai(RouterHarness.provider("claude", claude.baseUrl()).withApi(Family.ANTHROPIC))
              .openai("first", first)
              .openai("second", second)
              .start();
      first.always(Reply.openAiError(404, "invalid_request_error", null, "No such response"));
      second.always(Reply.json(200, ResponsesWire.response("resp_w", "kept by second")));

      HttpResponse<String> r = router.get("/openai/v1/responses/resp_w");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
      assertThat(claude.requestCount()).isZero();
      JsonNode attempts = Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts");
      assertThat(attempts).hasSize(3);
      assertThat(attempts.get(0).path("provider").asString()).isEqualTo("claude");
      assertThat(attempts.get(0).path("reason").asString()).isEqualTo("not_translatable");
      assertThat(attempts.get(1).path("action").asString()).isEqualTo("fallback");
      assertThat(attempts.get(2).path("action").asString()).isEqualTo("success");
    } finally {
      claude.close();
    }
  }

  @Test
  void headIsAnsweredFromAGetUpstreamWithoutABody() {
    first.always(Reply.json(200, ResponsesWire.response("resp_h", "stored")));

    HttpResponse<String> r =
        RouterHarness.send(
            HttpRequest.newBuilder(router.uri("/openai/v1/responses/resp_h"))
                .timeout(WAIT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(first.awaitRequest(1, WAIT).method()).isEqualTo("GET");
    HttpResponse<String> wrong = router.post("/openai/v1/responses/resp_h", "{}");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("allow")).hasValue("GET, HEAD, DELETE");
  }

  @Test
  void aHolderThatNowSpeaksTheOtherApiIsForgottenAndTheWalkTakesOver() {
    secondMakes("resp_2");
    RouterConfig c = router.router().config();
    List<ProviderConfig> openai = new ArrayList<>();
    for (ProviderConfig p : c.openai()) {
      openai.add(p.name().equals("second") ? p.withApi(Family.ANTHROPIC) : p);
    }
    assertThat(
            router
                .router()
                .reload(new RouterConfig(c.server(), c.logging(), openai, c.anthropic()))
                .providersChanged())
        .containsExactly("openai/second (api)");
    first.always(Reply.json(200, ResponsesWire.response("resp_3", "first")));

    HttpResponse<String> r =
        router.post(
            "/openai/v1/responses",
            "{\"model\":\"gpt-x\",\"input\":\"more\",\"previous_response_id\":\"resp_2\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("first");
  }
}
