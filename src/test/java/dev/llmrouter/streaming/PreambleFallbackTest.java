package dev.llmrouter.streaming;

import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An upstream's opening event that carries nothing a client could miss (Azure OpenAI's chunk of
 * prompt-filter results, Anthropic's ping) does not commit the stream: an error right after it
 * still falls back, within one API and across the two, and a stream that goes on relays it as it
 * came.
 */
class PreambleFallbackTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Azure OpenAI's first chunk (PROTOCOLS.md, Azure streams). */
  static final String AZURE_FILTER_CHUNK =
      "data: {\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],"
          + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{"
          + "\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}";

  static final String RATE_LIMIT_CHUNK =
      "data: {\"error\":{\"message\":\"Rate limit exceeded\",\"type\":\"requests\","
          + "\"code\":\"rate_limit_exceeded\"}}";

  private static final String CHAT_STREAM =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String MESSAGES_STREAM =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private final FakeUpstream first = FakeUpstream.start();
  private final FakeUpstream second = FakeUpstream.start();
  private RouterHarness router;

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    first.close();
    second.close();
  }

  private static List<String> with(String opening, List<String> events) {
    List<String> all = new ArrayList<>();
    all.add(opening);
    all.addAll(events);
    return all;
  }

  private List<String> stream(String path, String body) {
    try (SseClient client = SseClient.post(router.uri(path), body)) {
      List<String> events = client.rest(WAIT);
      assertThat(client.response().statusCode()).isEqualTo(200);
      return events;
    }
  }

  private JsonNode onlyRecord() {
    List<String> log = router.closeAndReadLog();
    assertThat(log).hasSize(1);
    return Json.MAPPER.readTree(log.getFirst());
  }

  @Test
  void anErrorAfterAzuresFilterChunkFallsBackToOneCleanStream() {
    first.always(Reply.sse(List.of(AZURE_FILTER_CHUNK, RATE_LIMIT_CHUNK)));
    List<String> fine = Sse.openAi("from second");
    second.always(Reply.sse(fine));
    router =
        RouterHarness.builder()
            .openai(provider("azure", first.baseUrl() + "/v1"))
            .openai(provider("second", second.baseUrl() + "/v1"))
            .start();

    assertThat(stream("/openai/v1/chat/completions", CHAT_STREAM)).containsExactlyElementsOf(fine);
    JsonNode attempts = onlyRecord().path("attempts");
    assertThat(attempts.get(0).path("class").asString()).isEqualTo("rate_limited");
    assertThat(attempts.get(1).path("action").asString()).isEqualTo("success");
  }

  @Test
  void azuresFilterChunkBeforeAnAnswerIsRelayedAsItCame() {
    List<String> events = with(AZURE_FILTER_CHUNK, Sse.openAi("Hi", " there"));
    first.always(Reply.sse(events));
    router = RouterHarness.builder().openai(provider("azure", first.baseUrl() + "/v1")).start();

    assertThat(stream("/openai/v1/chat/completions", CHAT_STREAM))
        .containsExactlyElementsOf(events);
    assertThat(onlyRecord().path("stream_result").path("completed").asBoolean()).isTrue();
  }

  @Test
  void aChatEventNamedErrorFirstFallsBackLikeAnyErrorEvent() {
    // openai-node throws on any event named error; this one's data has no "error" key.
    first.always(
        Reply.sse(
            List.of(
                "event: error\ndata: {\"message\":\"Service overloaded\","
                    + "\"type\":\"overloaded_error\",\"code\":503}")));
    List<String> fine = Sse.openAi("from second");
    second.always(Reply.sse(fine));
    router =
        RouterHarness.builder()
            .openai(provider("first", first.baseUrl() + "/v1"))
            .openai(provider("second", second.baseUrl() + "/v1"))
            .start();

    assertThat(stream("/openai/v1/chat/completions", CHAT_STREAM)).containsExactlyElementsOf(fine);
    JsonNode attempt = onlyRecord().path("attempts").get(0);
    assertThat(attempt.path("provider").asString()).isEqualTo("first");
    assertThat(attempt.path("status").asInt()).isEqualTo(503);
    assertThat(attempt.path("action").asString()).isEqualTo("fallback");
  }

  @Test
  void anOverloadRightAfterMessageStartFallsBackInvisibly() {
    // Anthropic's mid-stream overloaded_error most often comes right after message_start.
    List<String> opened = Sse.anthropic("never sent");
    first.always(
        Reply.sse(List.of(opened.get(0), Sse.anthropicError("overloaded_error", "Overloaded"))));
    List<String> fine = Sse.anthropic("from second");
    second.always(Reply.sse(fine));
    router =
        RouterHarness.builder()
            .anthropic(provider("first", first.baseUrl()))
            .anthropic(provider("second", second.baseUrl()))
            .start();

    assertThat(stream("/anthropic/v1/messages", MESSAGES_STREAM)).containsExactlyElementsOf(fine);
    JsonNode record = onlyRecord();
    assertThat(record.path("attempts").get(0).path("class").asString()).isEqualTo("overloaded");
    assertThat(record.path("provider").asString()).isEqualTo("second");
    assertThat(record.path("stream_result").path("completed").asBoolean()).isTrue();
  }

  @Test
  void afterMessageStartTheFirstBlockMayTakeTheIdleTimeoutNotOnlyTheFirstEventTimeout() {
    // timeout 1 s, stream_idle_timeout 5 s: message_start at once, the rest 1.5 s later. Held,
    // message_start shows the provider is answering: the wait is judged as a stream's silence.
    List<String> events = Sse.anthropic("late");
    first.always(
        Reply.sse(List.of(events.get(0), String.join("\n\n", events.subList(1, events.size()))))
            .eventGap(Duration.ofMillis(1500)));
    router =
        RouterHarness.builder()
            .anthropic(
                provider("first", first.baseUrl(), Duration.ofSeconds(1), 0, Duration.ofSeconds(5)))
            .start();

    assertThat(stream("/anthropic/v1/messages", MESSAGES_STREAM)).containsExactlyElementsOf(events);
    assertThat(onlyRecord().path("stream_result").path("completed").asBoolean()).isTrue();
  }

  @Test
  void theWaitAfterMessageStartNeverPassesTheRequestDeadline() {
    // request_timeout 2 s, stream_idle_timeout 10 s: message_start at once, the rest 4 s later.
    // The SDKs time out at the request's deadline and send it again: the router answers by then.
    List<String> events = Sse.anthropic("too late");
    first.always(
        Reply.sse(List.of(events.get(0), String.join("\n\n", events.subList(1, events.size()))))
            .eventGap(Duration.ofSeconds(4)));
    router =
        RouterHarness.builder()
            .requestTimeout(Duration.ofSeconds(2))
            .anthropic(
                provider(
                    "first", first.baseUrl(), Duration.ofSeconds(1), 0, Duration.ofSeconds(10)))
            .start();

    HttpResponse<String> r = router.post("/anthropic/v1/messages", MESSAGES_STREAM);

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).contains("no event after its opening ones");
  }

  @Test
  void anErrorAfterAPingFallsBackAndAPingBeforeAnAnswerIsRelayed() {
    String ping = "event: ping\ndata: {\"type\":\"ping\"}";
    first.always(Reply.sse(List.of(ping, Sse.anthropicError("overloaded_error", "Overloaded"))));
    List<String> fine = with(ping, Sse.anthropic("from second"));
    second.always(Reply.sse(fine));
    router =
        RouterHarness.builder()
            .anthropic(provider("first", first.baseUrl()))
            .anthropic(provider("second", second.baseUrl()))
            .start();

    assertThat(stream("/anthropic/v1/messages", MESSAGES_STREAM)).containsExactlyElementsOf(fine);
    assertThat(onlyRecord().path("attempts").get(0).path("class").asString())
        .isEqualTo("overloaded");
  }

  @Test
  void aTranslatedStreamFallsBackPastAzuresFilterChunkToo() {
    // An Anthropic client, two OpenAI-API providers: the first opens with the filter chunk, then
    // fails; the client gets the second's answer as one Messages stream, never an error alone.
    first.always(Reply.sse(List.of(AZURE_FILTER_CHUNK, RATE_LIMIT_CHUNK)));
    second.always(Reply.sse(Sse.openAi("from", " second")));
    router =
        RouterHarness.builder()
            .anthropic(provider("azure", first.baseUrl() + "/v1").withApi(Family.OPENAI))
            .anthropic(provider("deepseek", second.baseUrl() + "/v1").withApi(Family.OPENAI))
            .start();

    List<String> events = stream("/anthropic/v1/messages", MESSAGES_STREAM);

    assertThat(events.getFirst()).startsWith("event: message_start");
    assertThat(events.getLast()).startsWith("event: message_stop");
    assertThat(String.join("", events)).contains(" second").doesNotContain("event: error");
    assertThat(second.requestCount()).isEqualTo(1);
    assertThat(onlyRecord().path("provider").asString()).isEqualTo("deepseek");
  }
}
