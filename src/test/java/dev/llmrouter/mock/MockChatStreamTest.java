package dev.llmrouter.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The mock's chat stream over a real socket, with and without the usage chunk (PROTOCOLS 1.3). */
class MockChatStreamTest {

  private static final String ASK =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"stream\":true";

  @Test
  void theUsageChunkComesLastBeforeDoneWhenAskedFor() {
    try (MockClient mock = MockClient.start("ok")) {
      List<MockClient.Event> events =
          MockClient.events(
              mock.post(
                  "/v1/chat/completions", ASK + ",\"stream_options\":{\"include_usage\":true}}"));
      assertThat(events.getLast().data()).isEqualTo("[DONE]");
      List<MockClient.Event> chunks = events.subList(0, events.size() - 1);
      StringBuilder text = new StringBuilder();
      for (MockClient.Event event : chunks.subList(0, chunks.size() - 1)) {
        JsonNode chunk = event.json();
        assertThat(chunk.has("usage")).isTrue();
        assertThat(chunk.path("usage").isNull()).isTrue();
        text.append(chunk.path("choices").path(0).path("delta").path("content").asString(""));
      }
      assertThat(text).hasToString(MockBodies.TEXT);
      JsonNode usage = chunks.getLast().json();
      assertThat(usage.path("choices")).isEmpty();
      assertThat(usage.path("usage").path("completion_tokens").asInt())
          .isEqualTo(MockBodies.PIECES.size());
      assertThat(usage.path("usage").path("total_tokens").asInt())
          .isEqualTo(9 + MockBodies.PIECES.size());

      List<MockClient.Event> plain =
          MockClient.events(mock.post("/v1/chat/completions", ASK + "}"));
      for (MockClient.Event event : plain.subList(0, plain.size() - 1)) {
        assertThat(event.json().has("usage")).isFalse();
        assertThat(event.json().path("choices")).hasSize(1);
      }
    }
  }
}
