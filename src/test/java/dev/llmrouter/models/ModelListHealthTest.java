package dev.llmrouter.models;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ModelMap;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Listing a provider's models says nothing about whether it answers chat: what its list call
 * answers leaves its health alone. And a model that an open provider could not be asked about is no
 * 404.
 */
class ModelListHealthTest {

  private final FakeUpstream a = FakeUpstream.start();
  private final FakeUpstream b = FakeUpstream.start();
  private RouterHarness router;

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
    a.close();
    b.close();
  }

  private RouterHarness chain() {
    return RouterHarness.builder()
        .keepPriorities()
        .openai(RouterHarness.provider("openai", a.baseUrl() + "/v1").withPriority(1))
        .openai(RouterHarness.provider("backup", b.baseUrl() + "/v1").withPriority(2))
        .start();
  }

  private String chatAnsweredBy() {
    HttpResponse<String> chat = router.post("/openai/v1/chat/completions", OPENAI_CHAT);
    assertThat(chat.statusCode()).isEqualTo(200);
    return chat.headers().firstValue("x-router-provider").orElseThrow();
  }

  @Test
  void aKeyWithoutTheScopeToListModelsStillChats() {
    // OpenAI's restricted project keys: 401 on GET /models, chat answered.
    a.enqueue(
        Reply.openAiError(
            401,
            "invalid_request_error",
            null,
            "You have insufficient permissions for this operation. Missing scopes:"
                + " api.model.read."),
        Reply.openAiOk("from openai"));
    b.always(Reply.openAiOk("from backup"));
    router = chain();

    assertThat(router.get("/openai/v1/models").statusCode()).isEqualTo(200);

    assertThat(chatAnsweredBy()).isEqualTo("openai");
    assertThat(router.get("/health").body()).doesNotContain("auth_failed");
  }

  @Test
  void aRateLimitedListDoesNotCoolTheProviderForChat() {
    a.enqueue(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "Rate limit reached")
            .withHeader("retry-after", "30"),
        Reply.openAiOk("from openai"));
    b.always(Reply.openAiOk("from backup"));
    router = chain();

    assertThat(router.get("/openai/v1/models").statusCode()).isEqualTo(200);

    assertThat(chatAnsweredBy()).isEqualTo("openai");
  }

  @Test
  void failingListsDoNotOpenTheBreaker() {
    for (int i = 0; i < 3; i++) { // one list call each (max_retries 0): three in a row
      a.enqueue(Reply.openAiError(500, "server_error", null, "list broken"));
    }
    a.enqueue(Reply.openAiOk("from openai"));
    b.always(Reply.openAiError(500, "server_error", null, "list broken too"));
    router = chain();

    for (int i = 0; i < 3; i++) {
      router.get("/openai/v1/models");
    }
    b.always(Reply.openAiOk("from backup"));

    assertThat(chatAnsweredBy()).isEqualTo("openai");
  }

  @Test
  void aModelAnOpenProviderCouldNotBeAskedAboutIsTheFailureNotA404() {
    a.enqueue(
        Reply.openAiError(500, "server_error", null, "boom"),
        Reply.openAiError(500, "server_error", null, "boom"));
    router =
        RouterHarness.builder()
            .openai(RouterHarness.provider("openai", a.baseUrl() + "/v1"))
            .start();

    HttpResponse<String> one = router.get("/openai/v1/models/gpt-4o-mini");

    assertThat(one.statusCode()).as(one.body()).isEqualTo(502);
    assertThat(Json.MAPPER.readTree(one.body()).path("error").path("message").asString())
        .contains("openai 500");
  }

  @Test
  void aRefusedListCallLeavesAnUnknownModelA404() {
    a.always(
        Reply.openAiError(401, "invalid_request_error", null, "Missing scopes: api.model.read."));
    router =
        RouterHarness.builder()
            .openai(RouterHarness.provider("openai", a.baseUrl() + "/v1"))
            .start();

    HttpResponse<String> r = router.get("/openai/v1/models/no-such-model");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(404); // an answer, not a failure to ask
  }

  @Test
  void aLongModelNameIsQuotedWithoutHalfAnEmoji() {
    router =
        RouterHarness.builder()
            .openai(
                RouterHarness.provider("openai", a.baseUrl() + "/v1")
                    .withModels(ModelMap.names("gpt-4o")))
            .start();
    String model = "a".repeat(199) + "\uD83D\uDE00" + "tail"; // the emoji straddles the 200 cut

    HttpResponse<String> r =
        router.post("/openai/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[]}");

    assertThat(r.statusCode()).isEqualTo(404);
    String message = Json.MAPPER.readTree(r.body()).path("error").path("message").asString();
    assertThat(message).contains("a".repeat(199) + "...");
    assertThat(message.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
  }
}
