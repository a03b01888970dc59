package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Where each operation goes upstream and how a Responses stream ends (PROTOCOLS.md 6-7). */
class OperationTest {

  private static SseFraming.Event event(String name, String data) {
    return new SseFraming.Event(new byte[0], name, data);
  }

  @Test
  void eachOperationHasItsUpstreamPathAndOnlyChatAndMessagesCrossApis() {
    URI openai = URI.create("https://api.openai.com/v1");
    URI anthropic = URI.create("https://api.anthropic.com");
    assertThat(Operation.RESPONSES.upstreamUri(openai, null))
        .hasToString("https://api.openai.com/v1/responses");
    assertThat(Operation.EMBEDDINGS.upstreamUri(openai, ""))
        .hasToString("https://api.openai.com/v1/embeddings");
    assertThat(Operation.COMPLETIONS.upstreamUri(openai, "a=1"))
        .hasToString("https://api.openai.com/v1/completions?a=1");
    assertThat(Operation.COUNT_TOKENS.upstreamUri(anthropic, "beta=true"))
        .hasToString("https://api.anthropic.com/v1/messages/count_tokens?beta=true");
    assertThat(Operation.CHAT.servedBy(Api.ANTHROPIC)).isEqualTo(Operation.MESSAGES);
    assertThat(Operation.MESSAGES.servedBy(Api.OPENAI)).isEqualTo(Operation.CHAT);
    assertThat(Operation.RESPONSES.servedBy(Api.ANTHROPIC)).isNull();
    assertThat(Operation.COUNT_TOKENS.servedBy(Api.OPENAI)).isNull();
    assertThat(Operation.EMBEDDINGS.servedBy(Api.OPENAI)).isEqualTo(Operation.EMBEDDINGS);
  }

  @Test
  void aResponsesStreamEndsWithCompletedFailedOrIncompleteNeverDone() {
    Operation r = Operation.RESPONSES;
    assertThat(r.isFinalEvent(event("response.completed", "{}"))).isTrue();
    assertThat(r.isFinalEvent(event("response.failed", "{}"))).isTrue();
    assertThat(r.isFinalEvent(event("response.incomplete", "{}"))).isTrue();
    assertThat(r.isFinalEvent(event(null, "{\"type\":\"response.completed\"}"))).isTrue();
    assertThat(r.isFinalEvent(event("response.output_text.done", "{}"))).isFalse();
    assertThat(r.isFinalEvent(event(null, "[DONE]"))).isFalse();
    assertThat(Operation.COMPLETIONS.isFinalEvent(event(null, "[DONE]"))).isTrue();
  }

  @Test
  void onlyResponseFailedIsAFailedEndAndItsErrorCodeGivesItsStatus() {
    Operation r = Operation.RESPONSES;
    assertThat(
            r.failedEndStatus(
                event(
                    "response.failed",
                    "{\"response\":{\"error\":{\"code\":\"rate_limit_exceeded\"}}}")))
        .isEqualTo(429);
    assertThat(r.failedEndStatus(event("response.failed", "{\"response\":{}}"))).isEqualTo(500);
    assertThat(r.failedEndStatus(event("response.completed", "{}"))).isZero();
    assertThat(r.failedEndStatus(event("response.incomplete", "{}"))).isZero();
    assertThat(Operation.CHAT.failedEndStatus(event("response.failed", "{}"))).isZero();
  }

  /** openai-node throws on any event named error; some servers send one with flat data. */
  @Test
  void aChatEventNamedErrorIsAnErrorWhateverItsDataAndItsBodyIsNested() {
    Operation chat = Operation.CHAT;
    SseFraming.Event named =
        event(
            "error",
            "{\"message\":\"Service overloaded\",\"type\":\"overloaded_error\"," + "\"code\":503}");
    assertThat(chat.isErrorEvent(named)).isTrue();
    assertThat(chat.errorEventStatus(named)).isEqualTo(503);
    assertThat(new String(chat.errorEventBody(named), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("{\"error\":{")
        .contains("\"message\":\"Service overloaded\"");
    assertThat(chat.isErrorEvent(event(null, "{\"id\":\"c\",\"choices\":[]}"))).isFalse();
  }

  @Test
  void errorEventsInBothFormsMapToTheStatusTheyStandFor() {
    Operation r = Operation.RESPONSES;
    String nested =
        "{\"type\":\"error\",\"sequence_number\":2,\"error\":{\"type\":\"too_many_requests\","
            + "\"code\":\"too_many_requests\",\"message\":\"Too Many Requests\",\"param\":null}}";
    String flat =
        "{\"type\":\"error\",\"code\":\"invalid_prompt\",\"message\":\"no\",\"param\":null,"
            + "\"sequence_number\":0}";
    assertThat(r.errorEventStatus(event("error", nested))).isEqualTo(429);
    assertThat(r.errorEventStatus(event("error", flat))).isEqualTo(400);
    assertThat(r.errorEventStatus(event("error", "{\"type\":\"error\",\"code\":\"server_error\"}")))
        .isEqualTo(500);
    // The flat form's "type" is the event's: the code alone says it was the request.
    assertThat(
            r.errorEventStatus(
                event("error", "{\"type\":\"error\",\"code\":\"context_length_exceeded\"}")))
        .isEqualTo(400);
    assertThat(
            r.errorEventStatus(
                event("error", "{\"type\":\"error\",\"code\":\"invalid_image_url\"}")))
        .isEqualTo(400);
    assertThat(
            r.errorEventStatus(event("error", "{\"type\":\"error\",\"code\":\"invalid_api_key\"}")))
        .isEqualTo(401);
    assertThat(r.errorEventStatus(event("response.created", "{\"response\":{\"error\":null}}")))
        .isZero();
  }

  @Test
  void theRoutersErrorEventCarriesBothFormsNumberedAfterTheLastEvent() {
    byte[] raw =
        Operation.RESPONSES.streamErrorEvent(
            ErrorKind.UPSTREAM_FAILED,
            "broke",
            event("response.output_text.delta", "{\"sequence_number\":7}"),
            8);
    String text = new String(raw, StandardCharsets.UTF_8);
    assertThat(text).startsWith("event: error\ndata: ").endsWith("\n\n");
    JsonNode e = Json.MAPPER.readTree(text.substring(text.indexOf("data: ") + 6));
    assertThat(e.path("type").asString()).isEqualTo("error");
    assertThat(e.path("sequence_number").asInt()).isEqualTo(8);
    assertThat(e.path("code").asString()).isEqualTo("upstream_error");
    assertThat(e.path("message").asString()).isEqualTo("broke");
    assertThat(e.has("param")).isTrue();
    assertThat(e.path("error").path("type").asString()).isEqualTo("server_error");
    assertThat(e.path("error").path("message").asString()).isEqualTo("broke");
    // Before any event: the stream's first number.
    String first =
        new String(
            Operation.RESPONSES.streamErrorEvent(ErrorKind.UNAVAILABLE, "x", null, 0),
            StandardCharsets.UTF_8);
    assertThat(first).contains("\"sequence_number\":0");
    // After three events that carried no number: the fourth.
    String unnumbered =
        new String(
            Operation.RESPONSES.streamErrorEvent(
                ErrorKind.UNAVAILABLE, "x", event("response.in_progress", "{}"), 3),
            StandardCharsets.UTF_8);
    assertThat(unnumbered).contains("\"sequence_number\":3");
  }

  @Test
  void anUpstreamsFlatErrorEventReachesTheClientInBothForms() {
    String flat =
        "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"mid boom\","
            + "\"param\":null,\"sequence_number\":3}";
    SseFraming.Event out = Operation.RESPONSES.clientErrorEvent(event("error", flat), null, 3);
    assertThat(new String(out.raw(), StandardCharsets.UTF_8))
        .startsWith("event: error\ndata: {")
        .endsWith("}\n\n");
    JsonNode e = Json.MAPPER.readTree(out.data());
    assertThat(e.path("sequence_number").asInt()).isEqualTo(3);
    assertThat(e.path("message").asString()).isEqualTo("mid boom");
    assertThat(e.path("error").path("code").asString()).isEqualTo("server_error");
    assertThat(e.path("error").path("type").asString()).isEqualTo("server_error");
    assertThat(e.path("error").path("message").asString()).isEqualTo("mid boom");
    // OpenAI's nested form gains the flat fields; its number, or the count when it has none.
    String nested =
        "{\"type\":\"error\",\"error\":{\"type\":\"too_many_requests\","
            + "\"code\":\"too_many_requests\",\"message\":\"Too Many Requests\",\"param\":null}}";
    JsonNode n =
        Json.MAPPER.readTree(
            Operation.RESPONSES.clientErrorEvent(event("error", nested), null, 5).data());
    assertThat(n.path("code").asString()).isEqualTo("too_many_requests");
    assertThat(n.path("message").asString()).isEqualTo("Too Many Requests");
    assertThat(n.path("sequence_number").asInt()).isEqualTo(5);
    assertThat(n.path("error").path("type").asString()).isEqualTo("too_many_requests");
    // Already both: as it came. Chat's error chunks: as they came.
    SseFraming.Event both = event("error", e.toString());
    assertThat(Operation.RESPONSES.clientErrorEvent(both, null, 9)).isSameAs(both);
    SseFraming.Event chat = event(null, "{\"error\":{\"message\":\"x\"}}");
    assertThat(Operation.CHAT.clientErrorEvent(chat, null, 2)).isSameAs(chat);
  }

  @Test
  void anUpstreamErrorKeepsItsFieldsAndIsNumberedAfterTheLastEvent() {
    SseFraming.Event last = event("response.in_progress", "{\"sequence_number\":1}");
    JsonNode e =
        Json.MAPPER.readTree(
            Operation.RESPONSES
                .clientErrorEvent(
                    event("error", "{\"error\":\"quota exceeded\",\"request_id\":\"r-1\"}"),
                    last,
                    2)
                .data());
    assertThat(e.path("sequence_number").asInt()).isEqualTo(2); // after 1, numbering from 1
    assertThat(e.path("request_id").asString()).isEqualTo("r-1");
    assertThat(e.path("message").asString()).isEqualTo("quota exceeded");
    assertThat(e.path("error").path("message").asString()).isEqualTo("quota exceeded");
    // A null type or message is no text: the defaults stand in.
    JsonNode n =
        Json.MAPPER.readTree(
            Operation.RESPONSES
                .clientErrorEvent(
                    event("error", "{\"error\":{\"type\":null,\"message\":null,\"code\":null}}"),
                    null,
                    0)
                .data());
    assertThat(n.path("error").path("type").asString()).isEqualTo("server_error");
    assertThat(n.path("message").asString()).isEqualTo("upstream error");
  }

  @Test
  void aFirstErrorEventBecomesTheErrorBodyOfItsApi() {
    String flat =
        "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\",\"param\":null,"
            + "\"sequence_number\":0}";
    JsonNode body = Json.MAPPER.readTree(Operation.RESPONSES.errorEventBody(event("error", flat)));
    assertThat(body.path("error").path("message").asString()).isEqualTo("boom");
    assertThat(body.path("error").path("code").asString()).isEqualTo("server_error");
    assertThat(body.has("type")).isFalse();
    String chat = "{\"error\":{\"message\":\"x\",\"type\":\"server_error\"}}";
    assertThat(new String(Operation.CHAT.errorEventBody(event(null, chat)), StandardCharsets.UTF_8))
        .isEqualTo(chat);
  }

  @Test
  void responseIdsAreReadFromABodyAndFromTheCreatedEvent() {
    assertThat(
            ResponseIds.ofResponse(
                "{\"object\":\"response\",\"output\":[{\"id\":\"msg_1\"}],\"id\":\"resp_9\"}"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("resp_9");
    assertThat(ResponseIds.ofResponse("[1]".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(
            ResponseIds.ofCreatedEvent(
                event(
                    "response.created",
                    "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\"}}")))
        .isEqualTo("resp_1");
    assertThat(ResponseIds.ofCreatedEvent(event("ping", "{}"))).isNull();
  }

  @Test
  void aPreambleIsAzuresFilterChunkOnChatAndCompletionsAndMessageStartOrAPingOnMessages() {
    String azure = "{\"id\":\"\",\"choices\":[],\"prompt_filter_results\":[]}";
    SseFraming.Event filter = event(null, azure);
    SseFraming.Event ping = event("ping", "{\"type\":\"ping\"}");
    SseFraming.Event start = event("message_start", "{\"type\":\"message_start\"}");

    assertThat(Operation.CHAT.isPreamble(filter)).isTrue();
    assertThat(Operation.COMPLETIONS.isPreamble(filter)).isTrue();
    assertThat(Operation.MESSAGES.isPreamble(ping)).isTrue();
    assertThat(Operation.MESSAGES.isPreamble(start)).isTrue();
    assertThat(Operation.MESSAGES.isPreamble(event("content_block_start", "{}"))).isFalse();
    assertThat(Operation.CHAT.isPreamble(start)).isFalse();
    assertThat(Operation.MESSAGES.isPreamble(filter)).isFalse();
    assertThat(Operation.RESPONSES.isPreamble(filter)).isFalse();
    assertThat(Operation.RESPONSES.isPreamble(event("response.created", "{}"))).isTrue();
    assertThat(
            Operation.RESPONSES.isPreamble(
                event(null, "{\"type\":\"response.in_progress\",\"sequence_number\":1}")))
        .isTrue();
    assertThat(Operation.RESPONSES.isPreamble(event("response.output_item.added", "{}"))).isFalse();
    assertThat(Operation.CHAT.isPreamble(ping)).isFalse();
  }
}
