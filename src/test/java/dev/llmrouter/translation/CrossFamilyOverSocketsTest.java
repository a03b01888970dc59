package dev.llmrouter.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.config.ModelMap;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An OpenAI client served by an Anthropic provider and the reverse, over real sockets. */
class CrossFamilyOverSocketsTest extends CrossFamilyFixture {

  @Test
  void anOpenAiClientGetsAChatCompletionFromAnAnthropicProvider() {
    first.always(Reply.anthropicOk("Bonjour"));
    router =
        RouterHarness.builder()
            .openai(
                speaking(Family.ANTHROPIC, "claude", first)
                    .withModels(
                        ModelMap.of(List.of(new ModelMap.Entry("gpt-4o", "claude-sonnet-4-5")))))
            .start();

    HttpResponse<String> r =
        router.post(
            CHAT,
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode answer = json(r.body());
    assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
    assertThat(answer.path("id").asString()).startsWith("chatcmpl-");
    assertThat(answer.path("choices").get(0).path("message").path("content").asString())
        .isEqualTo("Bonjour");
    assertThat(answer.path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
    assertThat(r.headers().firstValue("x-router-model")).hasValue("claude-sonnet-4-5");
    // The provider's request id (Anthropic's request-id), also where the OpenAI SDK reads it.
    assertThat(r.headers().allValues("request-id")).singleElement().asString().startsWith("req_");
    assertThat(r.headers().allValues("x-request-id"))
        .containsExactlyElementsOf(r.headers().allValues("request-id"));
    Received sent = first.received().get(0);
    assertThat(sent.target()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo(RouterHarness.keyOf("claude"));
    assertThat(sent.header("authorization")).isNull();
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    JsonNode body = json(sent.bodyText());
    assertThat(body.path("model").asString()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
    assertThat(body.path("system").toString()).contains("Be brief.");
  }

  @Test
  void anOpenAiClientStreamsFromAnAnthropicProviderAndTheLogHasTheAnswerAndUsage()
      throws Exception {
    first.always(Reply.sse(Sse.anthropic("Hel", "lo")));
    router = RouterHarness.builder().openai(speaking(Family.ANTHROPIC, "claude", first)).start();

    List<String> events =
        streamed(
            CHAT,
            "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    StringBuilder text = new StringBuilder();
    for (String e : events) {
      if (e.startsWith("data: {")) {
        JsonNode chunk = json(e.substring(6).trim());
        assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
        JsonNode choices = chunk.path("choices");
        if (!choices.isEmpty()) {
          text.append(choices.get(0).path("delta").path("content").asString(""));
        }
      }
    }
    assertThat(text.toString()).isEqualTo("Hello");
    assertThat(events.get(events.size() - 1).trim()).isEqualTo("data: [DONE]");
    assertThat(String.join("", events)).doesNotContain("\"usage\""); // not asked for
    List<String> log = router.closeAndReadLog();
    JsonNode record = json(log.get(log.size() - 1));
    assertThat(record.path("response").path("content").asString()).isEqualTo("Hello");
    assertThat(record.path("usage").path("completion_tokens").isIntegralNumber()).isTrue();
  }

  @Test
  void anAnthropicClientGetsAMessageFromAnOpenAiProviderWithoutItsQueryOrAnthropicHeaders() {
    first.always(Reply.openAiOk("Hallo"));
    router = RouterHarness.builder().anthropic(speaking(Family.OPENAI, "deepseek", first)).start();

    HttpResponse<String> r =
        router.post(
            MESSAGES + "?beta=true",
            RouterHarness.ANTHROPIC_MESSAGES,
            "anthropic-beta",
            "context-management-2025-06-27",
            "anthropic-version",
            "2023-06-01");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode message = json(r.body());
    assertThat(message.path("type").asString()).isEqualTo("message");
    assertThat(message.path("id").asString()).startsWith("msg_");
    assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("Hallo");
    assertThat(message.path("stop_reason").asString()).isEqualTo("end_turn");
    // The provider's x-request-id, also where the Anthropic SDK reads it.
    assertThat(r.headers().allValues("x-request-id")).singleElement().asString().startsWith("req_");
    assertThat(r.headers().allValues("request-id"))
        .containsExactlyElementsOf(r.headers().allValues("x-request-id"));
    Received sent = first.received().get(0);
    assertThat(sent.target()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer " + RouterHarness.keyOf("deepseek"));
    assertThat(sent.headers().keySet()).noneMatch(h -> h.startsWith("anthropic-"));
    assertThat(json(sent.bodyText()).path("max_tokens").asInt()).isEqualTo(16);
  }

  @Test
  void claudeCodesOutputLimitIsLoweredToTheTranslatedProvidersMaxTokens() {
    // Claude Code asks for 128000; DeepSeek refuses more than 8192 (400): its max_tokens says so.
    first.always(Reply.openAiOk("Hallo"));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.OPENAI, "deepseek", first).withMaxTokens(8192))
            .start();

    HttpResponse<String> r =
        router.post(MESSAGES, CLAUDE.replace("\"max_tokens\":64", "\"max_tokens\":128000"));
    HttpResponse<String> small = router.post(MESSAGES, CLAUDE);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(json(first.received().get(0).bodyText()).path("max_tokens").asInt()).isEqualTo(8192);
    assertThat(json(first.received().get(1).bodyText()).path("max_tokens").asInt()).isEqualTo(64);
  }

  @Test
  void aTranslatedRequestIsSentAsJsonWhateverTypeTheClientGaveItsBody() {
    // The body upstream is the router's own JSON: the client's type (curl's default form type,
    // text/plain, or none) is not what it is.
    first.always(Reply.openAiOk("Hallo"));
    router = RouterHarness.builder().anthropic(speaking(Family.OPENAI, "deepseek", first)).start();

    for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded"}) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(router.uri(MESSAGES))
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(RouterHarness.ANTHROPIC_MESSAGES));
      if (type != null) {
        b.header("Content-Type", type);
      }
      assertThat(RouterHarness.send(b.build()).statusCode()).isEqualTo(200);
    }

    assertThat(first.received())
        .hasSize(3)
        .allSatisfy(
            sent ->
                assertThat(sent.headers().get("content-type")).containsExactly("application/json"));
  }

  @Test
  void aToolNameTooLongForOpenAiGoesShortenedAndComesBackAsTheClientsOwn() throws Exception {
    // Claude Code's MCP tools pass OpenAI's 64 characters; Anthropic takes 128.
    String name = "mcp__plugin_chrome-devtools-mcp_chrome-devtools__performance_analyze_insight";
    String request =
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":%s,\"tools\":[{\"name\":\""
            + name
            + "\",\"input_schema\":{\"type\":\"object\"}}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    first.enqueue(Reply.openAiOk("no call yet"));
    router = RouterHarness.builder().anthropic(speaking(Family.OPENAI, "gpt", first)).start();
    router.post(MESSAGES, request.formatted(false));
    String sent =
        json(first.awaitRequest(1, Duration.ofSeconds(10)).bodyText())
            .path("tools")
            .get(0)
            .path("function")
            .path("name")
            .asString();
    assertThat(sent).hasSize(64).startsWith(name.substring(0, 55));
    String call =
        "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":"
            + "{\"name\":\""
            + sent
            + "\",\"arguments\":\"{}\"}}]";
    first.enqueue(
        Reply.json(
            200,
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
                + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                + "\"assistant\",\"content\":null,"
                + call
                + "},\"finish_reason\":\"tool_calls\"}]}"),
        Reply.sse(
            List.of(
                "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":"
                    + "\"assistant\","
                    + call
                    + "},\"finish_reason\":null}]}",
                "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},"
                    + "\"finish_reason\":\"tool_calls\"}]}",
                "data: [DONE]")));

    JsonNode message = json(router.post(MESSAGES, request.formatted(false)).body());
    List<String> events = streamed(MESSAGES, request.formatted(true));

    assertThat(message.path("content").get(0).path("name").asString()).isEqualTo(name);
    assertThat(events)
        .anySatisfy(e -> assertThat(e).startsWith("event: content_block_start").contains(name));
  }

  @Test
  void anAnthropicClientStreamFallsBackAcrossFamiliesBeforeItsFirstEvent() throws Exception {
    first.always(
        Reply.anthropicError(529, "overloaded_error", "Overloaded")
            .withHeader("x-should-retry", "x"));
    second.always(Reply.sse(Sse.openAi("Hi", " there")));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.ANTHROPIC, "anthropic", first))
            .anthropic(speaking(Family.OPENAI, "openai-compatible", second))
            .start();

    List<String> events =
        streamed(
            MESSAGES,
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    String all = String.join("", events);
    assertThat(all).startsWith("event: message_start");
    assertThat(all).contains("\"text\":\"Hi\"").contains("\"text\":\" there\"");
    assertThat(all).contains("event: message_stop").doesNotContain("overloaded");
    assertThat(all).contains("\"output_tokens\"");
    assertThat(
            json(second.received().get(0).bodyText())
                .path("stream_options")
                .path("include_usage")
                .asBoolean())
        .isTrue();
  }

  @Test
  void aFirstEventThatIsNotJsonFallsBackToTheNextProvider() throws Exception {
    List<String> junk = new java.util.ArrayList<>(Sse.anthropic("never"));
    junk.add(0, "data: hello world");
    first.always(Reply.sse(junk));
    second.always(Reply.sse(Sse.openAi("Hi", " there")));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.ANTHROPIC, "anthropic", first))
            .anthropic(speaking(Family.OPENAI, "openai-compatible", second))
            .start();

    List<String> got = streamed(MESSAGES, CLAUDE_STREAM);

    String all = String.join("", got);
    assertThat(all).startsWith("event: message_start").contains("\"text\":\" there\"");
    assertThat(all).contains("event: message_stop").doesNotContain("never").doesNotContain("error");
    JsonNode attempt = json(router.closeAndReadLog().get(0)).path("attempts").get(0);
    assertThat(attempt.path("class").asString()).isEqualTo("broken");
    assertThat(attempt.path("detail").asString()).contains("first event is not JSON");
  }

  @Test
  void anErrorChunkWithItsErrorKeyAmongTheOthersEndsTheStreamWithThatOneError() throws Exception {
    // OpenRouter, once generation started: HTTP 200 and an SSE chunk with an "error" field.
    List<String> events = new java.util.ArrayList<>(Sse.openAi("Hel"));
    String error =
        "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"openai/gpt-4o\",\"error\":{\"message\":\"Provider disconnected\","
            + "\"code\":502},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
            + "\"finish_reason\":\"error\"}]}";
    events.set(2, error); // in place of the finish chunk; no [DONE] follows the usage chunk
    events.remove(events.size() - 1);
    first.always(Reply.sse(events));
    router = RouterHarness.builder().openai(speaking(Family.OPENAI, "openrouter", first)).start();

    List<String> got =
        streamed(
            CHAT,
            "{\"model\":\"gpt-4o\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(got.stream().filter(e -> e.contains("\"error\":{")).count()).isEqualTo(1);
    assertThat(got.get(got.size() - 1)).contains("Provider disconnected");
    JsonNode result = json(router.closeAndReadLog().get(0)).path("stream_result");
    assertThat(result.path("end").asString()).isEqualTo("upstream_error");
  }

  @Test
  void aWholeAnswerToAStreamRequestReachesEachClientAsTheStreamItAskedFor() throws Exception {
    // An upstream that ignores "stream": true and answers one JSON body: sent as it is, the SDKs
    // would read an event stream without events and end with an empty answer.
    first.always(Reply.openAiOk("Hello!"));
    router =
        RouterHarness.builder()
            .openai(speaking(Family.OPENAI, "vllm", first))
            .anthropic(speaking(Family.OPENAI, "vllm-for-claude", first))
            .start();

    List<String> chat =
        streamed(
            CHAT,
            "{\"model\":\"gpt-4o\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    List<String> messages = streamed(MESSAGES, CLAUDE_STREAM);

    JsonNode firstChunk = json(chat.get(0).substring("data: ".length()).trim());
    assertThat(firstChunk.path("object").asString()).isEqualTo("chat.completion.chunk");
    assertThat(firstChunk.path("choices").get(0).path("delta").path("content").asString())
        .isEqualTo("Hello!");
    assertThat(chat.get(chat.size() - 1).trim()).isEqualTo("data: [DONE]");
    String all = String.join("", messages);
    assertThat(all).startsWith("event: message_start").contains("\"text\":\"Hello!\"");
    assertThat(messages.get(messages.size() - 1)).startsWith("event: message_stop");
    List<String> log = router.closeAndReadLog();
    assertThat(json(log.get(0)).path("response").path("object").asString())
        .isEqualTo("chat.completion"); // the log keeps the answer as it came
  }

  @Test
  void anUpstreamErrorReachesTheClientInItsOwnShapeWithTheUpstreamsMessage() {
    first.always(Reply.anthropicError(400, "invalid_request_error", "messages: too short"));
    router = RouterHarness.builder().openai(speaking(Family.ANTHROPIC, "claude", first)).start();

    HttpResponse<String> r = router.post(CHAT, RouterHarness.OPENAI_CHAT);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = json(r.body()).path("error");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asString()).contains("messages: too short");
  }

  @Test
  void aRequestTheOtherApiCannotExpressSkipsThatProviderOrIsRefusedNamingTheField() {
    second.always(Reply.openAiOk("two answers? one."));
    String twoChoices =
        "{\"model\":\"gpt-4o\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    router =
        RouterHarness.builder()
            .openai(speaking(Family.ANTHROPIC, "claude", first))
            .openai(speaking(Family.OPENAI, "openai", second))
            .start();

    HttpResponse<String> served = router.post(CHAT, twoChoices);

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(first.requestCount()).isZero();
    List<String> log = router.closeAndReadLog();
    JsonNode skipped = json(log.get(0)).path("attempts").get(0);
    assertThat(skipped.path("reason").asString()).isEqualTo("not_translatable");
    assertThat(skipped.path("detail").asString()).contains("n");

    router = RouterHarness.builder().openai(speaking(Family.ANTHROPIC, "claude", first)).start();
    HttpResponse<String> refused = router.post(CHAT, twoChoices);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json(refused.body()).path("error").path("message").asString()).contains("'n'");
    assertThat(first.requestCount()).isZero();
  }
}
