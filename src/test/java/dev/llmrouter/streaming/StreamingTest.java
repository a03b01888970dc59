package dev.llmrouter.streaming;

import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** SSE relay over real sockets: pass-through, the commit point, and what happens after it. */
class StreamingTest {

  static final String OPENAI_STREAM =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String ANTHROPIC_STREAM =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final Duration WAIT = Duration.ofSeconds(5);

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;

  @BeforeEach
  void start() {
    first = FakeUpstream.start();
    second = FakeUpstream.start();
    router =
        RouterHarness.builder()
            .openai(
                provider(
                    "first",
                    first.baseUrl() + "/v1",
                    Duration.ofMillis(800),
                    0,
                    Duration.ofMillis(700)))
            .openai(
                provider(
                    "second",
                    second.baseUrl() + "/v1",
                    Duration.ofMillis(800),
                    0,
                    Duration.ofMillis(700)))
            // Anthropic providers get a long idle timeout: only a disconnect may end their streams.
            .anthropic(
                provider(
                    "a-first", first.baseUrl(), Duration.ofMillis(800), 0, Duration.ofSeconds(5)))
            .anthropic(
                provider(
                    "a-second", second.baseUrl(), Duration.ofMillis(800), 0, Duration.ofSeconds(5)))
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    first.close();
    second.close();
  }

  private static String joined(List<String> events) {
    StringBuilder b = new StringBuilder();
    events.forEach(e -> b.append(e).append("\n\n"));
    return b.toString();
  }

  private SseClient openAi() {
    return SseClient.post(router.uri("/openai/chat/completions"), OPENAI_STREAM);
  }

  private SseClient anthropic() {
    return SseClient.post(router.uri("/anthropic/v1/messages"), ANTHROPIC_STREAM);
  }

  @Test
  void openAiEventsPassThroughExactlyWithStreamHeaders() {
    List<String> events = Sse.openAi("Hel", "lo");
    first.always(Reply.sse(events));

    try (SseClient client = openAi()) {
      List<String> got = client.rest(WAIT);
      HttpResponse<?> r = client.response();

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
      assertThat(r.headers().firstValue("cache-control")).hasValue("no-cache");
      assertThat(r.headers().firstValue("x-accel-buffering")).hasValue("no");
      assertThat(r.headers().firstValue("x-router-provider")).hasValue("first");
      assertThat(r.headers().firstValue("x-router-attempts")).hasValue("1");
      assertThat(got).containsExactlyElementsOf(events);
      assertThat(new String(client.bytes(), StandardCharsets.UTF_8)).isEqualTo(joined(events));
      assertThat(got.get(got.size() - 1)).isEqualTo("data: [DONE]");
    }
  }

  @Test
  void anthropicEventsPassThroughExactly() {
    List<String> events = Sse.anthropic("Hel", "lo");
    first.always(Reply.sse(events));

    try (SseClient client = anthropic()) {
      assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
      assertThat(new String(client.bytes(), StandardCharsets.UTF_8)).isEqualTo(joined(events));
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("a-first");
    }
  }

  @Test
  void eventsReachTheClientBeforeTheUpstreamHasFinished() {
    List<String> events = Sse.openAi("one", "two");
    // The upstream sends one event and then holds the stream open, unfinished.
    first.always(Reply.sse(events).hangAfter(1));

    try (SseClient client = openAi()) {
      assertThat(client.next(WAIT)).isEqualTo(events.get(0));
    }
  }

  @Test
  void errorStatusBeforeTheFirstEventFallsBackToExactlyOneStream() {
    first.always(Reply.openAiError(503, "server_error", null, "busy"));
    List<String> events = Sse.openAi("from second");
    second.always(Reply.sse(events));

    try (SseClient client = openAi()) {
      assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("second");
      assertThat(client.response().headers().firstValue("x-router-attempts")).hasValue("2");
    }
  }

  @Test
  void anthropicErrorAsTheFirstEventFallsBackInvisibly() {
    first.always(Reply.sse(List.of(Sse.anthropicError("overloaded_error", "Overloaded"))));
    List<String> events = Sse.anthropic("fine");
    second.always(Reply.sse(events));

    try (SseClient client = anthropic()) {
      assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("a-second");
    }
  }

  @Test
  void openAiErrorAsTheFirstEventFallsBackInvisibly() {
    first.always(Reply.sse(List.of(Sse.openAiError("server_error", "boom"))));
    List<String> events = Sse.openAi("fine");
    second.always(Reply.sse(events));

    try (SseClient client = openAi()) {
      assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
    }
  }

  @Test
  void emptyStreamAndSilenceBeforeTheFirstEventFallBack() {
    first.enqueue(Reply.sse(List.of()), Reply.hang());
    second.always(Reply.sse(Sse.openAi("ok")));

    try (SseClient client = openAi()) {
      assertThat(client.rest(WAIT)).contains("data: [DONE]");
    }
    try (SseClient client = openAi()) {
      assertThat(client.rest(WAIT)).contains("data: [DONE]");
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("second");
    }
  }

  @Test
  void callerErrorAsTheFirstEventIsReturnedAsAnErrorResponse() {
    first.always(
        Reply.sse(List.of(Sse.anthropicError("invalid_request_error", "max_tokens too large"))));

    HttpResponse<String> r = router.post("/anthropic/v1/messages", ANTHROPIC_STREAM);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid_request_error").contains("max_tokens too large");
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void breakAfterCommitEndsWithOneOpenAiErrorEventAndNoSecondProvider() {
    List<String> events = Sse.openAi("a", "b", "c");
    first.always(Reply.sse(events).breakAfter(2, false));
    second.always(Reply.sse(Sse.openAi("spliced")));

    try (SseClient client = openAi()) {
      List<String> got = client.rest(WAIT);

      assertThat(got).hasSize(3);
      assertThat(got.subList(0, 2)).isEqualTo(events.subList(0, 2));
      JsonNode error = Json.MAPPER.readTree(got.get(2).substring("data: ".length()));
      assertThat(error.path("error").path("type").asString()).isEqualTo("server_error");
      assertThat(error.path("error").path("message").asString()).isNotEmpty();
      assertThat(got).doesNotContain("data: [DONE]");
      assertThat(String.join("\n", got)).doesNotContain("canary").doesNotContain("spliced");
    }
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void resetAfterCommitEndsWithOneAnthropicErrorEvent() {
    List<String> events = Sse.anthropic("a", "b");
    // A gap lets each event arrive before the RST, which would discard unsent bytes.
    first.always(Reply.sse(events).eventGap(Duration.ofMillis(50)).breakAfter(3, true));

    try (SseClient client = anthropic()) {
      List<String> got = client.rest(WAIT);

      assertThat(got.subList(0, 3)).isEqualTo(events.subList(0, 3));
      String last = got.get(got.size() - 1);
      assertThat(last).startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":");
      assertThat(got).hasSize(4);
    }
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void idleUpstreamAfterCommitIsCutWithAnErrorEventAndKeepalivesMeanwhile() {
    first.always(Reply.sse(Sse.openAi("x", "y")).hangAfter(2));

    try (SseClient client = openAi()) {
      List<String> got = client.rest(WAIT);

      assertThat(got.get(0)).startsWith("data: {");
      assertThat(got).contains(": keepalive");
      String last = got.get(got.size() - 1);
      assertThat(last).startsWith("data: {\"error\"").contains("idle");
    }
  }

  @Test
  void slowButSteadyStreamIsNotCut() {
    // 300 ms between events, 700 ms idle timeout: slower overall than the idle timeout.
    List<String> events = Sse.openAi("a", "b", "c", "d");
    first.always(Reply.sse(events).eventGap(Duration.ofMillis(300)));

    try (SseClient client = openAi()) {
      List<String> got = client.rest(WAIT).stream().filter(b -> !b.equals(": keepalive")).toList();
      assertThat(got).containsExactlyElementsOf(events);
    }
  }

  @Test
  void clientDisconnectCancelsTheUpstream() {
    // Two events: message_start alone is held back with the commit point.
    first.always(Reply.sse(Sse.anthropic("a", "b")).hangAfter(2));

    SseClient client = anthropic();
    assertThat(client.next(WAIT)).startsWith("event: message_start");
    client.close();

    assertThat(first.awaitClientGone(Duration.ofSeconds(3))).isTrue();
    List<String> log = router.closeAndReadLog();
    assertThat(log).hasSize(1);
    assertThat(log.get(0)).contains("\"end\":\"client_cancelled\"");
  }

  @Test
  void logRecordAssemblesContentUsageAndCompletion() {
    first.always(Reply.sse(Sse.openAi("Hel", "lo")));
    try (SseClient client = openAi()) {
      client.rest(WAIT);
    }
    first.always(Reply.sse(Sse.anthropic("Bon", "jour")).breakAfter(4, false));
    try (SseClient client = anthropic()) {
      client.rest(WAIT);
    }

    List<String> lines = router.closeAndReadLog();
    // In the order the streams were finished, which need not be the order they were opened in.
    java.util.Map<String, JsonNode> byEndpoint =
        lines.stream()
            .map(Json.MAPPER::readTree)
            .collect(java.util.stream.Collectors.toMap(n -> n.path("endpoint").asString(), n -> n));
    assertThat(byEndpoint).containsOnlyKeys("openai", "anthropic");

    JsonNode openai = byEndpoint.get("openai");
    assertThat(openai.path("stream").asBoolean()).isTrue();
    assertThat(openai.path("response").path("content").asString()).isEqualTo("Hello");
    assertThat(openai.path("usage").path("total_tokens").isNumber()).isTrue();
    assertThat(openai.path("stream_result").path("completed").asBoolean()).isTrue();
    assertThat(openai.path("stream_result").path("events").asInt())
        .isEqualTo(Sse.openAi("Hel", "lo").size());
    assertThat(openai.path("stream_result").path("first_event_ms").isNumber()).isTrue();
    JsonNode anthropic = byEndpoint.get("anthropic");
    assertThat(anthropic.path("stream_result").path("completed").asBoolean()).isFalse();
    assertThat(anthropic.path("stream_result").path("end").asString()).isEqualTo("upstream_broken");
    assertThat(anthropic.path("usage").path("input_tokens").isNumber()).isTrue();
  }

  @Test
  void anUpstreamErrorEventMidStreamIsRelayedOnceAndEndsTheStream() {
    List<String> events = new java.util.ArrayList<>(Sse.openAi("a", "b"));
    // vLLM-style: an error object mid-stream, then [DONE] anyway.
    events.add(2, Sse.openAiError("server_error", "the model crashed"));
    first.always(Reply.sse(events));
    List<String> anthropicEvents = new java.util.ArrayList<>(Sse.anthropic("a"));
    anthropicEvents.add(3, Sse.anthropicError("overloaded_error", "Overloaded"));
    first.enqueue(Reply.sse(events));
    try (SseClient client = openAi()) {
      List<String> got = client.rest(WAIT);
      assertThat(got).containsExactlyElementsOf(events.subList(0, 3));
    }
    first.always(Reply.sse(anthropicEvents.subList(0, 4)).breakAfter(4, false));
    try (SseClient client = anthropic()) {
      List<String> got = client.rest(WAIT);
      assertThat(got).containsExactlyElementsOf(anthropicEvents.subList(0, 4));
      assertThat(got.stream().filter(b -> b.startsWith("event: error"))).hasSize(1);
    }

    List<String> log = router.closeAndReadLog();
    assertThat(log).hasSize(2);
    assertThat(log).allMatch(l -> l.contains("\"end\":\"upstream_error\""));
    assertThat(log).allMatch(l -> l.contains("\"completed\":false"));
  }

  @Test
  void theStreamEndsAtTheFinalEventEvenIfTheUpstreamHoldsTheConnection() {
    List<String> events = Sse.anthropic("held");
    first.always(Reply.sse(events).hangAfter(events.size()));

    try (SseClient client = anthropic()) {
      assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
    }
    assertThat(router.closeAndReadLog().get(0)).contains("\"end\":\"completed\"");
  }

  @Test
  void aFirstEventWithAStringErrorFallsBack() {
    first.always(Reply.sse(List.of("data: {\"error\":\"Internal server error\"}")));
    List<String> events = Sse.openAi("fine");
    second.always(Reply.sse(events));

    try (SseClient client = openAi()) {
      assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
      assertThat(client.response().headers().firstValue("x-router-provider")).hasValue("second");
    }
  }

  @Test
  void shutdownPastItsGraceEndsOpenStreamsWithAnErrorEventAndLogsThem() throws Exception {
    first.always(Reply.sse(Sse.anthropic("a", "b")).hangAfter(2));
    SseClient client = anthropic();
    try {
      assertThat(client.next(WAIT)).startsWith("event: message_start");

      Thread closer = Thread.ofVirtual().start(() -> router.router().close(Duration.ZERO));
      List<String> rest = client.rest(Duration.ofSeconds(10));
      closer.join(Duration.ofSeconds(10));

      assertThat(rest.get(rest.size() - 1)).startsWith("event: error").contains("shutting down");
    } finally {
      client.close();
    }
    List<String> log = java.nio.file.Files.readAllLines(router.router().logFile());
    assertThat(log).hasSize(1);
    assertThat(log.get(0)).contains("\"end\":\"shutdown\"");
  }
}
