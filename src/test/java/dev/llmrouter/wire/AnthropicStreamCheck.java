package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays translated Anthropic events the way the SDKs' stream accumulators do (PROTOCOLS.md 5.5:
 * MessageStream in @anthropic-ai/sdk, the Python SDK's accumulator), but strictly: every event the
 * SDKs would reject, drop or mis-file fails the test. Returns the final message they would build.
 */
final class AnthropicStreamCheck {

  private AnthropicStreamCheck() {}

  static JsonNode finalMessage(List<SseFraming.Event> events) {
    ObjectNode message = null;
    StringBuilder[] json = new StringBuilder[64];
    int open = -1;
    boolean stopped = false;
    for (SseFraming.Event e : events) {
      assertThat(stopped).as("nothing after message_stop").isFalse();
      JsonNode data = Json.MAPPER.readTree(e.data());
      String type = data.path("type").asString();
      assertThat(e.name()).as("the event: name is the data's type").isEqualTo(type);
      assertThat(new String(e.raw(), StandardCharsets.UTF_8))
          .isEqualTo("event: " + type + "\ndata: " + e.data() + "\n\n");
      if (!type.equals("message_start")) {
        assertThat(message).as(type + " before message_start").isNotNull();
      }
      switch (type) {
        case "message_start" -> {
          assertThat(message).as("a second message_start").isNull();
          message = (ObjectNode) data.get("message").deepCopy();
          assertThat(message.get("content").isArray()).isTrue();
          assertThat(message.get("usage").isObject()).isTrue();
        }
        case "content_block_start" -> {
          ArrayNode content = (ArrayNode) message.get("content");
          assertThat(open).as("the previous block was stopped").isEqualTo(-1);
          assertThat(data.get("index").asInt())
              .as("indexes count from 0")
              .isEqualTo(content.size());
          content.add(data.get("content_block").deepCopy());
          open = data.get("index").asInt();
          json[open] = new StringBuilder();
        }
        case "content_block_delta" -> {
          int index = data.get("index").asInt();
          assertThat(index).as("a delta for the open block").isEqualTo(open);
          ObjectNode block = (ObjectNode) message.get("content").get(index);
          JsonNode delta = data.get("delta");
          switch (delta.get("type").asString()) {
            case "text_delta" -> {
              assertThat(block.get("type").asString()).isEqualTo("text");
              block.put("text", block.get("text").asString() + delta.get("text").asString());
            }
            case "input_json_delta" -> {
              assertThat(block.get("type").asString()).isEqualTo("tool_use");
              json[index].append(delta.get("partial_json").asString());
            }
            case "thinking_delta" -> {
              assertThat(block.get("type").asString()).isEqualTo("thinking");
              block.put(
                  "thinking", block.get("thinking").asString() + delta.get("thinking").asString());
            }
            case "signature_delta" -> {
              assertThat(block.get("type").asString()).isEqualTo("thinking");
              block.put("signature", delta.get("signature").asString());
            }
            default -> throw new AssertionError("unexpected delta " + delta);
          }
        }
        case "content_block_stop" -> {
          int index = data.get("index").asInt();
          assertThat(index).isEqualTo(open);
          ObjectNode block = (ObjectNode) message.get("content").get(index);
          if (block.get("type").asString().equals("tool_use")) {
            String input = json[index].toString();
            block.set("input", Json.MAPPER.readTree(input.isEmpty() ? "{}" : input));
          }
          open = -1;
        }
        case "message_delta" -> {
          assertThat(open).as("blocks stopped before message_delta").isEqualTo(-1);
          message.put("stop_reason", data.get("delta").get("stop_reason").asString());
          message.set("stop_sequence", data.get("delta").get("stop_sequence"));
          ObjectNode usage = (ObjectNode) message.get("usage");
          data.get("usage").properties().forEach(p -> usage.set(p.getKey(), p.getValue()));
        }
        case "message_stop" -> stopped = true;
        default -> throw new AssertionError("unexpected event " + type);
      }
    }
    assertThat(stopped).as("the stream ends with message_stop").isTrue();
    return message;
  }
}
