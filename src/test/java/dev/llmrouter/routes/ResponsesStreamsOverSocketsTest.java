package dev.llmrouter.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ResponsesWire;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Responses API streams once committed, end to end: how a cut, a {@code [DONE]}, an upstream's
 * error event or comments end them, with events of megabytes and a whole answer made a stream.
 */
class ResponsesStreamsOverSocketsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String STREAM = "{\"model\":\"gpt-x\",\"input\":\"Hi\",\"stream\":true}";

  private final FakeUpstream second = FakeUpstream.start();
  private RouterHarness router;

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    second.close();
  }

  @Test
  void aStreamCutAfterItsThirdEventEndsWithAnErrorEventInBothFormsNumberedAfterIt() {
    second.always(
        Reply.sse(ResponsesWire.stream("resp_c", "a", "b", "c", "d")).breakAfter(3, false));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    assertThat(got).hasSize(4);
    String last = got.get(3);
    assertThat(last).startsWith("event: error\ndata: ");
    JsonNode error = Json.MAPPER.readTree(last.substring(last.indexOf("data: ") + 6));
    assertThat(error.path("type").asString()).isEqualTo("error");
    assertThat(error.path("sequence_number").asInt()).isEqualTo(3);
    assertThat(error.path("message").asString()).contains("broke");
    assertThat(error.path("code").asString()).isEqualTo("upstream_error");
    assertThat(error.has("param")).isTrue();
    assertThat(error.path("error").path("message").asString()).contains("broke");
    assertThat(error.path("error").path("code").asString()).isEqualTo("upstream_error");
    assertThat(error.path("error").path("type").asString()).isEqualTo("server_error");
    assertThat(second.requestCount()).isEqualTo(1);
  }

  @Test
  void aDoneBeforeTheLastEventIsTheStreamBreakingNotRelayed() {
    // A compatible server's "[DONE]" after three events: the SDKs stop reading at it, so relayed
    // it would hide the error event after it (a silent end). It ends the stream as a cut does.
    List<String> events = new java.util.ArrayList<>(ResponsesWire.stream("resp_d", "a", "b"));
    events.add(3, "data: [DONE]\n\n");
    second.always(Reply.sse(events).breakAfter(4, false));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    assertThat(String.join("", got)).doesNotContain("[DONE]");
    assertThat(got).hasSize(4);
    String last = got.get(3);
    assertThat(last).startsWith("event: error\ndata: ");
    JsonNode error = Json.MAPPER.readTree(last.substring(last.indexOf("data: ") + 6));
    assertThat(error.path("sequence_number").asInt()).isEqualTo(3);
    assertThat(error.path("error").path("code").asString()).isEqualTo("upstream_error");
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("stream_result").path("end").asString()).isEqualTo("upstream_broken");
  }

  @Test
  void eventsOfSeveralMegabytesAreRelayedWhole() {
    // response.completed repeats the whole response: an image_generation result, a long answer.
    String big = "y".repeat(3 * 1024 * 1024);
    List<String> events = ResponsesWire.stream("resp_big", big);
    second.always(Reply.sse(events));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    List<String> relayed = got.stream().filter(e -> !e.startsWith(":")).toList(); // keepalives
    assertThat(relayed.stream().map(e -> e.substring(0, Math.min(e.length(), 60))).toList())
        .hasSize(events.size());
    assertThat(relayed.get(relayed.size() - 1))
        .startsWith("event: response.completed")
        .contains(big);
  }

  @Test
  void aStreamAnsweredWithOneJsonBodyReachesTheClientAsTheStreamItAskedFor() {
    // An upstream that ignores "stream": sent as JSON, Codex would report "stream closed before
    // response.completed" and the SDKs would see no events.
    second.always(Reply.json(200, ResponsesWire.response("resp_j", "whole")));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    assertThat(got.get(0)).startsWith("event: response.created\n");
    assertThat(got).anyMatch(e -> e.startsWith("event: response.output_text.delta\n"));
    assertThat(got.get(got.size() - 1))
        .startsWith("event: response.completed\n")
        .contains("\"text\":\"whole\"");
  }

  @Test
  void anErrorRightAfterTheOpeningEventsFallsBackAndCoolsTheProvider() {
    // OpenAI's order (PROTOCOLS.md 6.4): response.created and response.in_progress carry no
    // output, then the rate limit. Held back with the commit point: the next provider answers.
    try (FakeUpstream first = FakeUpstream.start()) {
      List<String> opening = ResponsesWire.stream("resp_1", "a").subList(0, 2);
      List<String> limited = new ArrayList<>(opening);
      limited.add(ResponsesWire.errorEvent(2, "too_many_requests"));
      first.always(Reply.sse(limited).withHeader("retry-after", "20"));
      List<String> answer = ResponsesWire.stream("resp_2", "from", " second");
      second.always(Reply.sse(answer));
      router = RouterHarness.builder().openai("first", first).openai("second", second).start();

      List<String> got;
      try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
        got = client.rest(WAIT);
      }
      try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
        client.rest(WAIT);
      }
      // The id came in a held-back response.created: the follow-up goes to the provider that made
      // it, whatever the cooldown.
      String followUp = STREAM.replace("{", "{\"previous_response_id\":\"resp_2\",");
      try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), followUp)) {
        client.rest(WAIT);
      }

      assertThat(got).isEqualTo(answer); // nothing of the first provider's opening events
      assertThat(first.requestCount()).isEqualTo(1); // cooling down for the next request
      assertThat(second.requestCount()).isEqualTo(3);
      assertThat(second.received().get(2).bodyText()).contains("\"previous_response_id\"");
      List<String> log = router.closeAndReadLog();
      JsonNode line = Json.MAPPER.readTree(log.get(0));
      assertThat(line.path("attempts").get(0).path("class").asString()).isEqualTo("rate_limited");
      assertThat(line.path("attempts").get(0).path("action").asString()).isEqualTo("fallback");
      // Pinned, not walked: the cooling first provider is not even passed over.
      JsonNode pinned = Json.MAPPER.readTree(log.get(2)).path("attempts");
      assertThat(pinned).hasSize(1);
      assertThat(pinned.get(0).path("provider").asString()).isEqualTo("second");
    }
  }

  @Test
  void aRateLimitAfterTheCommitEndsTheStreamAndCoolsTheProvider() {
    try (FakeUpstream first = FakeUpstream.start()) {
      List<String> events = new ArrayList<>(ResponsesWire.stream("resp_1", "a").subList(0, 4));
      events.add(ResponsesWire.errorEvent(4, "too_many_requests"));
      first.always(Reply.sse(events).withHeader("retry-after", "20"));
      second.always(Reply.sse(ResponsesWire.stream("resp_2", "b")));
      router = RouterHarness.builder().openai("first", first).openai("second", second).start();

      List<String> got;
      try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
        got = client.rest(WAIT);
      }
      assertThat(router.awaitHealth("cooling_down", WAIT)).isTrue();
      try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
        client.rest(WAIT);
      }

      assertThat(got).hasSize(5); // committed at the item: the error goes to the client
      assertThat(got.get(4)).startsWith("event: error\n");
      assertThat(first.requestCount()).isEqualTo(1);
      assertThat(second.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void anUpstreamsFlatErrorEventMidStreamReachesTheClientInBothForms() {
    List<String> events = new ArrayList<>(ResponsesWire.stream("resp_e", "a").subList(0, 3));
    events.add(ResponsesWire.flatErrorEvent(3, "server_error", "mid boom"));
    second.always(Reply.sse(events));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    assertThat(got).hasSize(4);
    assertThat(got.subList(0, 3)).isEqualTo(events.subList(0, 3));
    String last = got.get(3);
    assertThat(last).startsWith("event: error\ndata: ");
    JsonNode error = Json.MAPPER.readTree(last.substring(last.indexOf("data: ") + 6));
    assertThat(error.path("sequence_number").asInt()).isEqualTo(3);
    assertThat(error.path("code").asString()).isEqualTo("server_error");
    assertThat(error.path("message").asString()).isEqualTo("mid boom");
    // openai-python raises only on this one (PROTOCOLS.md 6.4).
    assertThat(error.path("error").path("message").asString()).isEqualTo("mid boom");
    assertThat(error.path("error").path("code").asString()).isEqualTo("server_error");
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("stream_result").path("end").asString()).isEqualTo("upstream_error");
  }

  @Test
  void aStreamThatEndsInResponseFailedIsRelayedAsItIsAndLoggedAsTheUpstreamsError() {
    List<String> events = new ArrayList<>(ResponsesWire.stream("resp_f", "a"));
    String last = events.remove(events.size() - 1);
    events.add(
        last.replace("response.completed", "response.failed")
            .replace(
                "\"status\":\"completed\",\"error\":null",
                "\"status\":\"failed\","
                    + "\"error\":{\"code\":\"server_error\",\"message\":\"The model failed.\"}"));
    assertThat(events.get(events.size() - 1)).contains("\"status\":\"failed\"");
    second.always(Reply.sse(events));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    // The client has the failure in the protocol: nothing added after it.
    assertThat(got).isEqualTo(events);
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("stream_result").path("end").asString()).isEqualTo("upstream_error");
    assertThat(line.path("stream_result").path("completed").asBoolean()).isFalse();
    assertThat(line.path("response").path("status").asString()).isEqualTo("failed");
  }

  @Test
  void aCutStreamWhoseEventsCarryNoNumbersGetsAnErrorNumberedByCount() {
    List<String> unnumbered = new ArrayList<>();
    for (String e : ResponsesWire.stream("resp_u", "a", "b")) {
      unnumbered.add(e.replaceAll(",?\"sequence_number\":\\d+", "").replace("{,", "{"));
    }
    second.always(Reply.sse(unnumbered).breakAfter(3, false));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    assertThat(got.get(0)).doesNotContain("sequence_number");
    String last = got.get(got.size() - 1);
    assertThat(got).hasSize(4);
    JsonNode error = Json.MAPPER.readTree(last.substring(last.indexOf("data: ") + 6));
    assertThat(error.path("sequence_number").asInt()).isEqualTo(3);
  }

  @Test
  void anUpstreamsCommentsNeitherNumberNorCountTheErrorEvent() {
    // OpenRouter and proxies send ": ..." keepalives between events: relayed once the stream is
    // committed (before, between held-back opening events, they are dropped), but no event.
    List<String> numbered = new ArrayList<>(ResponsesWire.stream("resp_p", "a").subList(0, 3));
    numbered.add(3, ": OPENROUTER PROCESSING");
    numbered.add(": OPENROUTER PROCESSING");
    List<String> unnumbered = new ArrayList<>();
    for (String e : numbered) {
      unnumbered.add(e.replaceAll(",?\"sequence_number\":\\d+", "").replace("{,", "{"));
    }
    for (List<String> events : List.of(numbered, unnumbered)) {
      try (FakeUpstream upstream = FakeUpstream.start();
          RouterHarness harness = RouterHarness.builder().openai("second", upstream).start()) {
        upstream.always(Reply.sse(events).breakAfter(5, false));

        List<String> got;
        try (SseClient client = SseClient.post(harness.uri("/openai/v1/responses"), STREAM)) {
          got = client.rest(WAIT);
        }

        assertThat(got).hasSize(6);
        assertThat(got.subList(0, 5)).isEqualTo(events);
        String last = got.get(5);
        JsonNode error = Json.MAPPER.readTree(last.substring(last.indexOf("data: ") + 6));
        assertThat(error.path("sequence_number").asInt()).isEqualTo(3);
      }
    }
  }

  @Test
  void aStreamThatClosesWithoutItsFinalEventIsBroken() {
    List<String> events = ResponsesWire.stream("resp_n", "x");
    second.always(Reply.sse(events.subList(0, events.size() - 1)));
    router = RouterHarness.builder().openai("second", second).start();

    List<String> got;
    try (SseClient client = SseClient.post(router.uri("/openai/v1/responses"), STREAM)) {
      got = client.rest(WAIT);
    }

    assertThat(got.get(got.size() - 1)).startsWith("event: error\n");
    JsonNode line = Json.MAPPER.readTree(router.closeAndReadLog().get(0));
    assertThat(line.path("stream_result").path("end").asString()).isEqualTo("upstream_broken");
  }
}
