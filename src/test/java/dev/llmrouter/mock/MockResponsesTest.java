package dev.llmrouter.mock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Responses API of the mock over a real socket (PROTOCOLS.md 6). */
class MockResponsesTest {

  private static final String CREATE =
      "{\"model\":\"gpt-4o-mini\",\"instructions\":\"Be brief.\",\"input\":\"Say hello.\"";

  private static final String CONVERSATION =
      "{\"model\":\"gpt-4o-mini\",\"input\":["
          + "{\"role\":\"user\",\"content\":\"Hi\"},"
          + "{\"role\":\"assistant\",\"content\":\"Hello!\"},"
          + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"12:00\"},"
          + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Time?\"}]}]}";

  @Test
  void createAnswersACompletedResponseWithAFreshIdEachTime() {
    try (MockClient mock = MockClient.start("ok")) {
      JsonNode r = mock.postOk("/v1/responses", CREATE + "}");
      assertThat(r.path("id").asString()).matches("resp_[0-9a-f]{48}");
      assertThat(r.path("object").asString()).isEqualTo("response");
      assertThat(r.path("status").asString()).isEqualTo("completed");
      assertThat(r.path("model").asString()).isEqualTo("gpt-4o-mini");
      assertThat(r.path("instructions").asString()).isEqualTo("Be brief.");
      assertThat(r.path("created_at").asLong()).isPositive();
      assertThat(r.path("error").isNull()).isTrue();
      assertThat(r.path("output")).hasSize(1);
      JsonNode message = r.path("output").path(0);
      assertThat(message.path("type").asString()).isEqualTo("message");
      assertThat(message.path("role").asString()).isEqualTo("assistant");
      assertThat(message.path("status").asString()).isEqualTo("completed");
      assertThat(message.path("id").asString()).startsWith("msg_");
      JsonNode text = message.path("content").path(0);
      assertThat(text.path("type").asString()).isEqualTo("output_text");
      assertThat(text.path("text").asString()).isEqualTo(MockBodies.TEXT);
      assertThat(text.path("annotations").isArray()).isTrue();
      JsonNode usage = r.path("usage");
      assertThat(usage.path("input_tokens").asInt()).isPositive();
      assertThat(usage.path("output_tokens").asInt()).isPositive();
      assertThat(usage.path("total_tokens").asInt())
          .isEqualTo(usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt());
      assertThat(usage.path("input_tokens_details").path("cached_tokens").asInt()).isZero();
      assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asInt()).isZero();

      // Without the /v1 too, as a base URL without the version would send it.
      JsonNode second = mock.postOk("/responses", CREATE + "}");
      assertThat(second.path("id").asString()).isNotEqualTo(r.path("id").asString());
    }
  }

  @Test
  void twoMocksNeverMakeTheSameResponseId() {
    try (MockClient a = MockClient.start("ok");
        MockClient b = MockClient.start("ok")) {
      // Both counters start at 1: only the per-instance part keeps the IDs apart.
      String fromA = a.postOk("/v1/responses", CREATE + "}").path("id").asString();
      String fromB = b.postOk("/v1/responses", CREATE + "}").path("id").asString();
      assertThat(fromA).isNotEqualTo(fromB);
      assertThat(b.get("/v1/responses/" + fromA).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aStreamSendsTheRealEventSequenceEndingInTheCompletedResponse() {
    try (MockClient mock = MockClient.start("ok")) {
      List<MockClient.Event> events =
          MockClient.events(mock.post("/v1/responses", CREATE + ",\"stream\":true}"));
      List<String> names = new ArrayList<>();
      StringBuilder deltas = new StringBuilder();
      for (int i = 0; i < events.size(); i++) {
        MockClient.Event event = events.get(i);
        JsonNode data = event.json();
        // The event: line names the type the data repeats, and every event is numbered from 0.
        assertThat(data.path("type").asString()).isEqualTo(event.name());
        assertThat(data.path("sequence_number").asInt()).isEqualTo(i);
        if (names.isEmpty() || !names.getLast().equals(event.name())) {
          names.add(event.name()); // the deltas collapse into one name
        }
        if (event.name().equals("response.output_text.delta")) {
          deltas.append(data.path("delta").asString());
          assertThat(data.path("output_index").asInt()).isZero();
          assertThat(data.path("content_index").asInt()).isZero();
        }
      }
      assertThat(names)
          .containsExactly(
              "response.created",
              "response.in_progress",
              "response.output_item.added",
              "response.content_part.added",
              "response.output_text.delta",
              "response.output_text.done",
              "response.content_part.done",
              "response.output_item.done",
              "response.completed");
      assertThat(events.stream().filter(e -> e.name().endsWith(".delta")).count()).isGreaterThan(1);

      JsonNode created = events.getFirst().json().path("response");
      assertThat(created.path("status").asString()).isEqualTo("in_progress");
      assertThat(created.path("output")).isEmpty();
      assertThat(created.path("usage").isNull()).isTrue();
      String itemId = events.get(2).json().path("item").path("id").asString();
      assertThat(events.get(4).json().path("item_id").asString()).isEqualTo(itemId);
      assertThat(events.get(events.size() - 4).json().path("text").asString())
          .isEqualTo(deltas.toString());

      JsonNode completed = events.getLast().json().path("response");
      assertThat(completed.path("id").asString()).isEqualTo(created.path("id").asString());
      assertThat(completed.path("status").asString()).isEqualTo("completed");
      assertThat(completed.path("output").path(0).path("content").path(0).path("text").asString())
          .isEqualTo(deltas.toString());
      assertThat(completed.path("usage").path("total_tokens").asInt()).isPositive();

      // A streamed response is stored as it completed.
      HttpResponse<String> stored = mock.get("/v1/responses/" + completed.path("id").asString());
      assertThat(stored.statusCode()).isEqualTo(200);
      assertThat(MockClient.json(stored.body())).isEqualTo(completed);
    }
  }

  @Test
  void aCreatedResponseCanBeReadListedAndDeletedOnce() {
    try (MockClient mock = MockClient.start("ok")) {
      HttpResponse<String> created = mock.post("/v1/responses", CONVERSATION);
      assertThat(created.statusCode()).isEqualTo(200);
      String id = MockClient.json(created.body()).path("id").asString();

      HttpResponse<String> read = mock.get("/v1/responses/" + id);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).isEqualTo(created.body());

      JsonNode items = MockClient.json(mock.get("/v1/responses/" + id + "/input_items").body());
      assertThat(items.path("object").asString()).isEqualTo("list");
      assertThat(items.path("has_more").asBoolean(true)).isFalse();
      JsonNode data = items.path("data");
      assertThat(data).hasSize(4);
      // Newest first by default.
      assertThat(data.path(0).path("content").path(0).path("text").asString()).isEqualTo("Time?");
      assertThat(data.path(1).path("type").asString()).isEqualTo("function_call_output");
      assertThat(data.path(2).path("content").path(0).path("type").asString())
          .isEqualTo("output_text");
      assertThat(data.path(3).path("content").path(0).path("type").asString())
          .isEqualTo("input_text");
      for (JsonNode item : data) {
        assertThat(item.path("id").asString()).startsWith("msg_");
      }
      assertThat(items.path("first_id").asString()).isEqualTo(data.path(0).path("id").asString());
      assertThat(items.path("last_id").asString()).isEqualTo(data.path(3).path("id").asString());

      JsonNode page =
          MockClient.json(mock.get("/responses/" + id + "/input_items?order=asc&limit=1").body());
      assertThat(page.path("data")).hasSize(1);
      assertThat(page.path("data").path(0).path("role").asString()).isEqualTo("user");
      assertThat(page.path("data").path(0).path("content").path(0).path("text").asString())
          .isEqualTo("Hi");
      assertThat(page.path("has_more").asBoolean()).isTrue();

      HttpResponse<String> deleted = mock.delete("/v1/responses/" + id);
      assertThat(deleted.statusCode()).isEqualTo(200);
      JsonNode body = MockClient.json(deleted.body());
      assertThat(body.path("id").asString()).isEqualTo(id);
      assertThat(body.path("object").asString()).isEqualTo("response");
      assertThat(body.path("deleted").asBoolean()).isTrue();

      for (HttpResponse<String> gone :
          List.of(
              mock.get("/v1/responses/" + id),
              mock.delete("/v1/responses/" + id),
              mock.get("/v1/responses/" + id + "/input_items"))) {
        assertThat(gone.statusCode()).isEqualTo(404);
        JsonNode error = MockClient.json(gone.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).contains(id);
      }
    }
  }

  @Test
  void aResponseCreatedWithStoreFalseIsNotKept() {
    try (MockClient mock = MockClient.start("ok")) {
      JsonNode r = mock.postOk("/v1/responses", CREATE + ",\"store\":false}");
      assertThat(r.path("store").asBoolean(true)).isFalse();
      assertThat(mock.get("/v1/responses/" + r.path("id").asString()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aFollowUpNeedsAPreviousResponseThisMockMade() {
    try (MockClient mock = MockClient.start("ok")) {
      String first = mock.postOk("/v1/responses", CREATE + "}").path("id").asString();
      JsonNode next =
          mock.postOk(
              "/v1/responses",
              "{\"model\":\"gpt-4o-mini\",\"input\":\"And again.\","
                  + "\"previous_response_id\":\""
                  + first
                  + "\"}");
      assertThat(next.path("previous_response_id").asString()).isEqualTo(first);

      // What OpenAI answers for an ID it does not know, e.g. one another provider made.
      HttpResponse<String> unknown =
          mock.post(
              "/v1/responses",
              "{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"previous_response_id\":\"resp_other\"}");
      assertThat(unknown.statusCode()).isEqualTo(400);
      JsonNode error = MockClient.json(unknown.body()).path("error");
      assertThat(error.path("param").asString()).isEqualTo("previous_response_id");
      assertThat(error.path("code").asString()).isEqualTo("previous_response_not_found");
    }
  }

  @Test
  void theOldestStoredResponseIsForgottenFirst() {
    MockResponses responses = new MockResponses();
    JsonNode request = MockClient.json(CREATE + "}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i <= MockResponses.STORED; i++) {
      MockReply.Complete reply = (MockReply.Complete) responses.create(request);
      ids.add(MockClient.json(new String(reply.body(), UTF_8)).path("id").asString());
    }
    assertThat(((MockReply.Complete) responses.get(ids.getFirst())).status()).isEqualTo(404);
    assertThat(((MockReply.Complete) responses.get(ids.get(1))).status()).isEqualTo(200);
    assertThat(((MockReply.Complete) responses.get(ids.getLast())).status()).isEqualTo(200);
  }
}
