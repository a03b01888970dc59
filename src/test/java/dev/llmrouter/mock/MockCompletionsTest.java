package dev.llmrouter.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Legacy {@code POST /v1/completions} and Anthropic's {@code count_tokens} of the mock over a real
 * socket (PROTOCOLS.md 7.2, 7.3).
 */
class MockCompletionsTest {

  private static final String PROMPT =
      "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi.\"";

  @Test
  void aCompletionHasOneTextChoicePerPrompt() {
    try (MockClient mock = MockClient.start("ok")) {
      JsonNode body = mock.postOk("/v1/completions", PROMPT + "}");
      assertThat(body.path("id").asString()).startsWith("cmpl-");
      assertThat(body.path("object").asString()).isEqualTo("text_completion");
      assertThat(body.path("model").asString()).isEqualTo("gpt-3.5-turbo-instruct");
      JsonNode choice = body.path("choices").path(0);
      assertThat(choice.path("text").asString()).isEqualTo(MockBodies.TEXT);
      assertThat(choice.path("index").asInt()).isZero();
      assertThat(choice.path("logprobs").isNull()).isTrue();
      assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
      JsonNode usage = body.path("usage");
      assertThat(usage.path("total_tokens").asInt())
          .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());

      JsonNode two =
          mock.postOk("/completions", "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"],\"echo\":true}");
      assertThat(two.path("choices")).hasSize(2);
      assertThat(two.path("choices").path(1).path("index").asInt()).isEqualTo(1);
      assertThat(two.path("choices").path(1).path("text").asString())
          .isEqualTo("b" + MockBodies.TEXT);
    }
  }

  @Test
  void aStreamSendsTextFragmentsThenTheUsageChunkItWasAskedForThenDone() {
    try (MockClient mock = MockClient.start("ok")) {
      List<MockClient.Event> events =
          MockClient.events(
              mock.post(
                  "/v1/completions",
                  PROMPT + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
      assertThat(events.getLast().data()).isEqualTo("[DONE]");
      StringBuilder text = new StringBuilder();
      List<MockClient.Event> chunks = events.subList(0, events.size() - 1);
      for (int i = 0; i < chunks.size(); i++) {
        MockClient.Event event = chunks.get(i);
        assertThat(event.name()).isNull(); // data: lines only, as OpenAI streams
        JsonNode chunk = event.json();
        assertThat(chunk.path("object").asString()).isEqualTo("text_completion");
        if (i < chunks.size() - 1) {
          assertThat(chunk.path("usage").isNull()).isTrue();
          text.append(chunk.path("choices").path(0).path("text").asString());
        }
      }
      assertThat(text).hasToString(MockBodies.TEXT);
      JsonNode beforeUsage = chunks.get(chunks.size() - 2).json().path("choices").path(0);
      assertThat(beforeUsage.path("finish_reason").asString()).isEqualTo("stop");
      JsonNode usageChunk = chunks.getLast().json();
      assertThat(usageChunk.path("choices")).isEmpty();
      assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isPositive();

      List<MockClient.Event> plain =
          MockClient.events(mock.post("/v1/completions", PROMPT + ",\"stream\":true}"));
      assertThat(plain.getLast().data()).isEqualTo("[DONE]");
      for (MockClient.Event event : plain.subList(0, plain.size() - 1)) {
        assertThat(event.json().has("usage")).isFalse();
        assertThat(event.json().path("choices")).hasSize(1);
      }
    }
  }

  @Test
  void countTokensCountsTheMessagesSystemAndTools() {
    try (MockClient mock = MockClient.start("ok")) {
      String shortOne =
          "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
      String longer =
          "{\"model\":\"claude-sonnet-4-5\",\"system\":\"You are a careful assistant.\","
              + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the weather.\"}]}";
      HttpResponse<String> small = mock.post("/v1/messages/count_tokens", shortOne);
      assertThat(small.statusCode()).isEqualTo(200);
      JsonNode counted = MockClient.json(small.body());
      assertThat(counted.properties()).hasSize(1);
      int few = counted.path("input_tokens").asInt();
      assertThat(few).isPositive();
      assertThat(mock.postOk("/v1/messages/count_tokens", longer).path("input_tokens").asInt())
          .isGreaterThan(few);

      HttpResponse<String> missing =
          mock.post("/v1/messages/count_tokens", "{\"model\":\"claude-sonnet-4-5\"}");
      assertThat(missing.statusCode()).isEqualTo(400);
      JsonNode error = MockClient.json(missing.body());
      assertThat(error.path("type").asString()).isEqualTo("error");
      assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
      assertThat(error.path("error").path("message").asString()).contains("messages");
    }
  }
}
