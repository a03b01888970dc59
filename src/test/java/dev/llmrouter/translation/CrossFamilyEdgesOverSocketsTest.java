package dev.llmrouter.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Translated requests and streams at their edges, over real sockets: broken and garbled streams,
 * ends the relay does not know for a provider's last, and bodies the client's own API does not
 * define.
 */
class CrossFamilyEdgesOverSocketsTest extends CrossFamilyFixture {

  @Test
  void aTranslatedStreamEndsWhenTheClientHasItsLastEventThoughTheUpstreamThenBreaks()
      throws Exception {
    // Ends the relay itself does not know for a provider's last: "[DONE] " (both OpenAI SDKs test
    // a startsWith), and a message_stop without its event: line. Each upstream then breaks.
    List<String> openAi = new java.util.ArrayList<>(Sse.openAi("Hi", " there"));
    openAi.set(openAi.size() - 1, "data: [DONE] ");
    List<String> nameless = new java.util.ArrayList<>();
    for (String e : Sse.anthropic("Hi", " there")) {
      nameless.add(e.replaceFirst("^event: [a-z_]+\n", ""));
    }
    first.always(Reply.sse(openAi).breakAfter(openAi.size(), false));
    second.always(Reply.sse(nameless).breakAfter(nameless.size(), false));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.OPENAI, "deepseek", first))
            .openai(speaking(Family.ANTHROPIC, "anthropic-compatible", second))
            .start();

    List<String> messages = streamed(MESSAGES, CLAUDE_STREAM);
    List<String> chat =
        streamed(
            CHAT,
            "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(messages.get(messages.size() - 1)).startsWith("event: message_stop");
    assertThat(String.join("", messages)).contains("\"text\":\" there\"").doesNotContain("error");
    assertThat(chat.get(chat.size() - 1).trim()).isEqualTo("data: [DONE]");
    assertThat(String.join("", chat)).contains("\"content\":\" there\"").doesNotContain("error");
    for (String line : router.closeAndReadLog()) {
      JsonNode result = json(line).path("stream_result");
      assertThat(result.path("end").asString()).isEqualTo("completed");
      assertThat(result.path("completed").asBoolean()).isTrue();
    }
  }

  @Test
  void aTwoHundredThatIsNoAnswerOfItsApiMovesOnToTheNextProvider() {
    // JSON, but no chat completion (an empty choices array): not translatable, so not an answer.
    first.always(
        Reply.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}"));
    second.always(Reply.anthropicOk("from the second"));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.OPENAI, "deepseek", first))
            .anthropic(speaking(Family.ANTHROPIC, "claude", second))
            .start();

    HttpResponse<String> r = router.post(MESSAGES, CLAUDE);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("claude");
    assertThat(r.body()).contains("from the second");
    JsonNode attempt = json(router.closeAndReadLog().get(0)).path("attempts").get(0);
    assertThat(attempt.path("provider").asString()).isEqualTo("deepseek");
    assertThat(attempt.path("class").asString()).isEqualTo("broken");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aTwoHundredThatIsNoAnswerMovesOnWhenAStreamWasAskedForAndInBothDirections(boolean stream) {
    // A provider that ignores "stream" and answers whole JSON that is no answer of its API: an
    // empty choices array (OpenAI), a queued job (no Message) from an Anthropic-API provider.
    first.always(
        Reply.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}"));
    second.always(Reply.json(200, "{\"id\":\"job-1\",\"status\":\"queued\"}"));
    FakeUpstream healthyClaude = FakeUpstream.start();
    FakeUpstream healthyOpenAi = FakeUpstream.start();
    try {
      healthyClaude.always(
          stream ? Reply.sse(Sse.anthropic("from", " claude")) : Reply.anthropicOk("from claude"));
      healthyOpenAi.always(
          stream ? Reply.sse(Sse.openAi("from", " openai")) : Reply.openAiOk("from openai"));
      router =
          RouterHarness.builder()
              .anthropic(speaking(Family.OPENAI, "deepseek", first))
              .anthropic(speaking(Family.ANTHROPIC, "claude", healthyClaude))
              .openai(speaking(Family.ANTHROPIC, "queued", second))
              .openai(speaking(Family.OPENAI, "openai", healthyOpenAi))
              .start();
      String streamField = stream ? "\"stream\":true," : "";

      HttpResponse<String> messages =
          router.post(
              MESSAGES,
              "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
                  + streamField
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
      HttpResponse<String> chat =
          router.post(
              CHAT,
              "{\"model\":\"gpt-4o\","
                  + streamField
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

      assertThat(messages.statusCode()).isEqualTo(200);
      assertThat(messages.headers().firstValue("x-router-provider")).hasValue("claude");
      assertThat(messages.body()).contains("claude");
      assertThat(chat.statusCode()).isEqualTo(200);
      assertThat(chat.headers().firstValue("x-router-provider")).hasValue("openai");
      assertThat(chat.body()).contains("openai");
      for (String line : router.closeAndReadLog()) {
        JsonNode attempt = json(line).path("attempts").get(0);
        assertThat(attempt.path("provider").asString()).isIn("deepseek", "queued");
        assertThat(attempt.path("class").asString()).isEqualTo("broken");
      }
    } finally {
      healthyClaude.close();
      healthyOpenAi.close();
    }
  }

  @Test
  void aTwoHundredErrorObjectOfATranslatedProviderIsClassedByItsCodeAsFromItsOwnApi() {
    // OpenRouter and DeepSeek answer 200 {"error": {"code": 429}} (PROTOCOLS.md 8.2): a rate
    // limit, not a broken answer. No retry on the same provider, and the upstream's message kept.
    first.always(
        Reply.json(
            200,
            "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-min\",\"code\":429}}"));
    second.always(
        Reply.json(200, "{\"error\":{\"message\":\"Invalid value for 'top_p'\",\"code\":400}}"));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.OPENAI, "openrouter", first))
            .anthropic(speaking(Family.OPENAI, "deepseek", second))
            .start();

    HttpResponse<String> r = router.post(MESSAGES, CLAUDE);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = json(r.body());
    assertThat(body.path("type").asString()).isEqualTo("error");
    assertThat(body.path("error").path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(body.path("error").path("message").asString()).contains("Invalid value for 'top_p'");
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(second.requestCount()).isEqualTo(1);
    JsonNode attempts = json(router.closeAndReadLog().get(0)).path("attempts");
    assertThat(attempts.get(0).path("class").asString()).isEqualTo("rate_limited");
    assertThat(attempts.get(0).path("detail").asString()).contains("free-models-per-min");
    assertThat(attempts.get(1).path("action").asString()).isEqualTo("returned");
    assertThat(attempts.get(1).path("detail").asString()).contains("Invalid value for 'top_p'");
    assertThat(attempts.get(1).has("class")).isFalse(); // the caller's error, not the provider's
  }

  @Test
  void aJsonSchemaAnswerSkipsAProviderOfTheOtherApiAndOutputConfigIsDroppedTowardOpenAi() {
    // response_format with a schema cannot be translated faithfully: the Anthropic-API provider
    // is skipped, the next one answers; with none left, 400 naming the field. Toward an OpenAI
    // provider, output_config (format and all) is one of the Claude-only fields dropped.
    first.always(Reply.openAiOk("{\"age\":36}"));
    second.always(Reply.anthropicOk("{\"age\":37}"));
    FakeUpstream openAi = FakeUpstream.start();
    try {
      openAi.always(Reply.openAiOk("{\"age\":38}"));
      router =
          RouterHarness.builder()
              .anthropic(speaking(Family.OPENAI, "deepseek", first))
              .openai(speaking(Family.ANTHROPIC, "claude", second))
              .openai(speaking(Family.OPENAI, "openai", openAi))
              .start();
      String schema = "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"number\"}}}";
      String chatBody =
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Age?\"}],"
              + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\","
              + "\"strict\":true,\"schema\":"
              + schema
              + "}}}";

      HttpResponse<String> messages =
          router.post(
              MESSAGES,
              "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                  + "\"content\":\"Age?\"}],\"output_config\":{\"effort\":\"high\","
                  + "\"format\":{\"type\":\"json_schema\",\"schema\":"
                  + schema
                  + "}}}");
      HttpResponse<String> chat = router.post(CHAT, chatBody);

      assertThat(messages.statusCode()).isEqualTo(200);
      JsonNode sent = json(first.received().get(0).bodyText());
      assertThat(sent.has("output_config")).isFalse();
      assertThat(sent.has("response_format")).isFalse();
      assertThat(chat.statusCode()).isEqualTo(200);
      assertThat(chat.headers().firstValue("x-router-provider")).hasValue("openai");
      assertThat(second.requestCount()).isZero();
      JsonNode skip = json(router.closeAndReadLog().get(1)).path("attempts").get(0);
      assertThat(skip.path("provider").asString()).isEqualTo("claude");
      assertThat(skip.path("action").asString()).isEqualTo("skipped");
      assertThat(skip.path("reason").asString()).isEqualTo("not_translatable");
      assertThat(skip.toString()).contains("response_format");

      router = RouterHarness.builder().openai(speaking(Family.ANTHROPIC, "claude", second)).start();
      HttpResponse<String> refused = router.post(CHAT, chatBody);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(json(refused.body()).at("/error/message").asString()).contains("response_format");
      assertThat(second.requestCount()).isZero();
    } finally {
      openAi.close();
    }
  }

  @Test
  void aBodyTheClientsOwnApiDoesNotDefineIs400NamingTheFieldNotA500() {
    // Translating it fails on what the client wrote: refused in the client's own shape, as a field
    // the other API cannot take, and the client's text stays out of the answer (and the console).
    router =
        RouterHarness.builder()
            .openai(speaking(Family.ANTHROPIC, "claude", first))
            .anthropic(speaking(Family.OPENAI, "deepseek", second))
            .start();
    String forgedRole = "x\\u001b[31m\\n2026-01-01 00:00:00 INFO forged";

    HttpResponse<String> chatObject = router.post(CHAT, "{\"model\":\"gpt-4o\",\"messages\":{}}");
    HttpResponse<String> chatRole =
        router.post(
            CHAT,
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\""
                + forgedRole
                + "\",\"content\":\"Hi\"}]}");
    HttpResponse<String> messagesObject =
        router.post(MESSAGES, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":{}}");
    HttpResponse<String> messagesRole =
        router.post(
            MESSAGES,
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\""
                + forgedRole
                + "\",\"content\":\"Hi\"}]}");

    for (HttpResponse<String> r : List.of(chatObject, chatRole)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(json(r.body()).path("error").path("type").asString())
          .isEqualTo("invalid_request_error");
      assertThat(r.body()).contains("'messages").doesNotContain("forged");
    }
    for (HttpResponse<String> r : List.of(messagesObject, messagesRole)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(json(r.body()).path("type").asString()).isEqualTo("error");
      assertThat(json(r.body()).path("error").path("type").asString())
          .isEqualTo("invalid_request_error");
      assertThat(r.body()).contains("'messages").doesNotContain("forged");
    }
    assertThat(first.requestCount() + second.requestCount()).isZero();
  }

  @Test
  void aGarbledEventMidStreamEndsTheTranslatedStreamWithOneErrorAndIsLoggedAsFailed()
      throws Exception {
    List<String> events = new java.util.ArrayList<>(Sse.openAi("Hel", "lo"));
    // After "Hel": a chunk cut off inside its text, then the rest and [DONE] as if nothing
    // happened.
    events.add(2, "data: {\"id\":\"chatcmpl-x\",\"choices\":[{\"delta\":{\"content\":\"oops}");
    first.always(Reply.sse(events));
    router = RouterHarness.builder().anthropic(speaking(Family.OPENAI, "deepseek", first)).start();

    List<String> got = streamed(MESSAGES, CLAUDE_STREAM);

    assertThat(got.stream().filter(e -> e.startsWith("event: error")).count()).isEqualTo(1);
    assertThat(got.get(got.size() - 1)).startsWith("event: error").contains("not JSON");
    String all = String.join("", got);
    assertThat(all).contains("\"text\":\"Hel\"").doesNotContain("\"text\":\"lo\"");
    assertThat(all).doesNotContain("message_stop");
    JsonNode result = json(router.closeAndReadLog().get(0)).path("stream_result");
    assertThat(result.path("completed").asBoolean()).isFalse();
    assertThat(result.path("end").asString()).isEqualTo("upstream_error");
  }

  @Test
  void aTranslatedStreamBrokenAfterItsFirstEventsEndsWithTheClientsOwnErrorEvent()
      throws Exception {
    first.always(Reply.sse(Sse.openAi("Hel", "lo", " world")).breakAfter(3, false));
    router = RouterHarness.builder().anthropic(speaking(Family.OPENAI, "deepseek", first)).start();

    List<String> events =
        streamed(
            MESSAGES,
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    String all = String.join("", events);
    assertThat(all).startsWith("event: message_start").contains("\"text\":\"Hel\"");
    // Never a silent end, never a second provider: the Anthropic client's own error event.
    assertThat(events.get(events.size() - 1)).startsWith("event: error");
    assertThat(all).doesNotContain("event: message_stop").doesNotContain("data: {\"error\"");
    assertThat(first.requestCount()).isEqualTo(1);
  }
}
