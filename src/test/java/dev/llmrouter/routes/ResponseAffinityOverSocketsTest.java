package dev.llmrouter.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ResponsesWire;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.SseClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Stateful Responses API requests stay with the provider that made the response (issue 15, 1.3 and
 * 1.4): {@code previous_response_id}, and the routes about one stored response.
 */
class ResponseAffinityOverSocketsTest extends TwoResponsesProviders {

  @Test
  void aRequestThatContinuesAKnownResponseGoesOnlyToItsProviderWhateverItsHealth() {
    secondMakesResp2();
    first.always(Reply.json(200, ResponsesWire.response("resp_x", "wrong provider")));
    second.enqueue(Reply.json(200, ResponsesWire.response("resp_3", "continued")));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_2"));

    assertThat(r.body()).contains("continued");
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(first.requestCount()).isEqualTo(1); // only the 429 of the first request
  }

  @Test
  void itsFailureIsReturnedAsItIsWithoutFallback() {
    secondMakesResp2();
    first.always(Reply.json(200, ResponsesWire.response("resp_x", "wrong provider")));
    String limit =
        "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"param\":null,"
            + "\"code\":\"rate_limit_exceeded\"}}";
    second.always(Reply.json(429, limit));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_2"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).isEqualTo(limit);
    assertThat(r.headers().firstValue("x-should-retry")).isEmpty(); // the SDK's own 429 wait
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void itsServerErrorTellsTheSdkNotToSendItAgain() {
    secondMakesResp2();
    second.always(
        Reply.json(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_2"));

    // The router retried it already as the provider's max_retries says; an SDK that retried too
    // would multiply the calls to the one provider that holds the conversation.
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
  }

  @Test
  void aPinnedTwoHundredThatIsNotJsonIsReturnedAndLoggedAsAString() {
    secondMakesResp2();
    second.always(Reply.badJson());

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_2"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("this is not json");
    // The classifier failed it, so nothing proved it JSON: the line keeps it as a string (copied
    // as it is, the line itself would not be JSON).
    // The pinned request's line, found by its answer: a record is handed to the log after its
    // answer is written, so the first request's line may come after it.
    List<String> lines = router.closeAndReadLog();
    JsonNode line =
        Json.MAPPER.readTree(
            lines.stream().filter(l -> l.contains("this is not json")).findFirst().orElseThrow());
    assertThat(line.path("response").isString()).isTrue();
    assertThat(line.path("response").asString()).isEqualTo("this is not json");
    JsonNode attempts = line.path("attempts");
    assertThat(attempts.get(attempts.size() - 1).path("action").asString()).isEqualTo("returned");
  }

  @Test
  void aPinnedStreamWhoseFirstEventIsAnErrorIsReturnedAsItIsWithoutFallback() {
    secondMakesResp2();
    first.always(Reply.sse(ResponsesWire.stream("resp_x", "wrong provider")));
    second.always(Reply.sse(List.of(ResponsesWire.errorEvent(0, "too_many_requests"))));

    HttpResponse<String> r =
        router.post(
            "/openai/v1/responses",
            "{\"model\":\"gpt-x\",\"stream\":true,\"previous_response_id\":\"resp_2\"}");

    assertThat(r.statusCode()).isEqualTo(429);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("error").path("code").asString()).isEqualTo("too_many_requests");
    assertThat(body.path("error").path("message").asString()).isEqualTo("Too Many Requests");
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void aPinnedStreamsFlatFirstErrorEventComesBackAsAnOpenAiErrorBody() {
    secondMakesResp2();
    second.always(Reply.sse(List.of(ResponsesWire.flatErrorEvent(0, "server_error", "boom"))));

    HttpResponse<String> r =
        router.post(
            "/openai/v1/responses",
            "{\"model\":\"gpt-x\",\"stream\":true,\"previous_response_id\":\"resp_2\"}");

    // The flat form is no error body an SDK reads: the client gets the API's own shape.
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("error").path("message").asString()).isEqualTo("boom");
    assertThat(body.path("error").path("code").asString()).isEqualTo("server_error");
    assertThat(body.has("sequence_number")).isFalse();
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamedResponseIsRememberedFromItsCreatedEvent() {
    first.enqueue(rateLimited());
    second.enqueue(Reply.sse(ResponsesWire.stream("resp_s", "hi")));
    try (SseClient c =
        SseClient.post(
            router.uri("/openai/v1/responses"),
            "{\"model\":\"gpt-x\",\"input\":\"Hi\",\"stream\":true}")) {
      c.rest(WAIT);
    }
    second.enqueue(Reply.json(200, ResponsesWire.response("resp_t", "continued")));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_s"));

    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void anUnknownPreviousResponseTakesTheNormalWalk() {
    first.enqueue(Reply.json(200, ResponsesWire.response("resp_9", "first answers")));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_before_restart"));

    assertThat(r.headers().firstValue("x-router-provider")).hasValue("first");
  }

  /** What OpenAI answers a previous_response_id it does not hold. */
  private static Reply notHeld(String id) {
    return Reply.openAiError(
        400,
        "invalid_request_error",
        "previous_response_not_found",
        "Previous response with id '" + id + "' not found.");
  }

  @Test
  void anUnknownPreviousResponseThatTheFirstDoesNotHoldGoesOnToTheOneThatDoes() {
    // After a restart: the conversation is the second provider's, and the first says so.
    first.enqueue(notHeld("resp_before_restart"));
    second.enqueue(Reply.json(200, ResponsesWire.response("resp_10", "second holds it")));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_before_restart"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    JsonNode attempt =
        Json.MAPPER.readTree(router.closeAndReadLog().get(0)).path("attempts").get(0);
    assertThat(attempt.path("class").asString()).isEqualTo("response_not_found");
    assertThat(attempt.path("action").asString()).isEqualTo("fallback");
  }

  @Test
  void reasoningEncryptedUnderTheOtherKeysOrganisationGoesOnToAProviderThatReadsIt() {
    // Codex with store: false sends back the reasoning a provider of another organisation made.
    first.enqueue(
        Reply.openAiError(
            400,
            "invalid_request_error",
            "invalid_encrypted_content",
            "The encrypted content gAAA...DQ== could not be verified."));
    second.enqueue(Reply.json(200, ResponsesWire.response("resp_12", "second reads it")));

    HttpResponse<String> r =
        router.post(
            "/openai/v1/responses",
            "{\"model\":\"gpt-x\",\"store\":false,\"include\":[\"reasoning.encrypted_content\"],"
                + "\"input\":[{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],"
                + "\"encrypted_content\":\"gAAA...DQ==\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
  }

  @Test
  void aPreviousResponseNoProviderHoldsIsTheFirstRefusalAsItCame() {
    first.enqueue(notHeld("resp_nowhere"));
    second.enqueue(notHeld("resp_nowhere"));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_nowhere"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(r.body()).path("error").path("code").asString())
        .isEqualTo("previous_response_not_found");
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("first");
    assertThat(second.requestCount()).isEqualTo(1);
    // Neither provider's health suffers: the next plain request goes to the first.
    first.enqueue(Reply.json(200, ResponsesWire.response("resp_11", "first again")));
    assertThat(
            router
                .post("/openai/v1/responses", "{\"model\":\"gpt-x\",\"input\":\"Hi\"}")
                .headers()
                .firstValue("x-router-provider"))
        .hasValue("first");
  }

  @Test
  void aNotFoundWhileTheFirstIsRateLimitedIsTheRateLimitNotA400() {
    // The first may be the one that made the response (before a restart): a 400 would end the
    // conversation for good, where a wait lets it go on.
    first.enqueue(rateLimited());
    second.enqueue(notHeld("resp_of_first"));

    HttpResponse<String> r = router.post("/openai/v1/responses", continuing("resp_of_first"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).isPresent();
    assertThat(r.body()).contains("rate limited").doesNotContain("previous_response_not_found");
  }

  @Test
  void theStoredResponseRoutesGoToTheProviderThatMadeIt() {
    secondMakesResp2();
    first.always(Reply.json(200, "{\"wrong\":true}"));
    second.always(Reply.json(200, ResponsesWire.response("resp_2", "stored")));

    HttpResponse<String> got = router.get("/openai/v1/responses/resp_2?include%5B%5D=x");
    HttpResponse<String> items = router.get("/openai/responses/resp_2/input_items");
    HttpResponse<String> cancel = router.post("/openai/v1/responses/resp_2/cancel", "{}");

    assertThat(got.body()).contains("stored");
    assertThat(got.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(items.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(cancel.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(first.requestCount()).isEqualTo(1);
    Received get = second.awaitRequest(2, WAIT);
    assertThat(get.method()).isEqualTo("GET");
    assertThat(get.target()).isEqualTo("/v1/responses/resp_2?include%5B%5D=x");
    assertThat(second.awaitRequest(3, WAIT).target()).isEqualTo("/v1/responses/resp_2/input_items");
    Received post = second.awaitRequest(4, WAIT);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.target()).isEqualTo("/v1/responses/resp_2/cancel");
  }

  @Test
  void aKnownResponsesProviderAnswerIsReturnedEvenWhenIt404s() {
    secondMakesResp2();
    first.always(Reply.json(200, "{\"wrong\":true}"));
    second.always(Reply.openAiError(404, "invalid_request_error", null, "gone"));

    HttpResponse<String> r = router.get("/openai/v1/responses/resp_2");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("gone");
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void anUnknownIdIsAskedOfEachProviderUntilOneAnswersOtherThan404() {
    first.always(Reply.openAiError(404, "invalid_request_error", null, "No response found"));
    second.always(Reply.json(200, ResponsesWire.response("resp_old", "found")));

    HttpResponse<String> r = router.get("/openai/v1/responses/resp_old");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
    // Found once, known from then on: the next request goes straight there.
    router.get("/openai/v1/responses/resp_old");
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void anIdNoProviderKnowsIs404InTheOpenAiShape() {
    first.always(Reply.openAiError(404, "invalid_request_error", null, "No response found"));
    second.always(Reply.openAiError(404, "invalid_request_error", null, "No response found"));

    HttpResponse<String> r = router.get("/openai/v1/responses/resp_nobody");

    assertThat(r.statusCode()).isEqualTo(404);
    var error = Json.MAPPER.readTree(r.body()).path("error");
    assertThat(error.path("message").asString()).contains("resp_nobody");
    assertThat(error.path("code").asString()).isEqualTo("not_found");
    assertThat(first.requestCount() + second.requestCount()).isEqualTo(2);
  }

  @Test
  void deleteGoesToItsProviderAndForgetsTheId() {
    secondMakesResp2();
    second.enqueue(Reply.json(200, "{\"id\":\"resp_2\",\"object\":\"response\",\"deleted\":true}"));
    first.always(Reply.openAiError(404, "invalid_request_error", null, "No response found"));

    HttpResponse<String> r =
        RouterHarness.send(
            HttpRequest.newBuilder(router.uri("/openai/v1/responses/resp_2"))
                .timeout(WAIT)
                .DELETE()
                .build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(second.awaitRequest(2, WAIT).method()).isEqualTo("DELETE");
    // Forgotten: a later lookup asks every provider again, first one first.
    second.always(Reply.openAiError(404, "invalid_request_error", null, "No response found"));
    assertThat(router.get("/openai/v1/responses/resp_2").statusCode()).isEqualTo(404);
    assertThat(first.requestCount()).isEqualTo(2);
  }

  @Test
  void otherMethodsAndDeeperPathsAreRefused() {
    assertThat(router.post("/openai/v1/responses/resp_2", "{}").statusCode()).isEqualTo(405);
    assertThat(router.get("/openai/v1/responses/resp_2/other").statusCode()).isEqualTo(404);
    assertThat(router.get("/openai/v1/responses/").statusCode()).isEqualTo(404);
  }
}
