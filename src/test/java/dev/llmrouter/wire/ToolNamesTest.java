package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A tool name over OpenAI's 64 characters (Claude Code's MCP tools) reaches an OpenAI-API provider
 * shortened, in the tools, the tool choice and the history alike, and the provider's call of it
 * comes back to the Anthropic client under the name the client gave it, answer and stream alike.
 */
class ToolNamesTest {

  private static final String LONG =
      "mcp__plugin_chrome-devtools-mcp_chrome-devtools__performance_analyze_insight";
  private static final Translator T = Translator.between(Api.ANTHROPIC, Api.OPENAI);

  private static final String REQUEST =
      "{\"model\":\"claude-x\",\"max_tokens\":64,\"tools\":[{\"name\":\""
          + LONG
          + "\",\"input_schema\":{\"type\":\"object\"}},{\"name\":\"Read\",\"input_schema\":"
          + "{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\""
          + LONG
          + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
          + "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\""
          + LONG
          + "\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
          + "\"tool_use_id\":\"toolu_1\",\"content\":\"ok\"}]}]}";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLongNameIsShortenedTheSameWayEverywhereAndAShortOneIsKept() throws Exception {
    String shortened = ToolNames.forOpenAi(LONG);
    assertThat(shortened).hasSize(64).startsWith(LONG.substring(0, 55) + "_");
    assertThat(ToolNames.forOpenAi("Read")).isEqualTo("Read");
    assertThat(ToolNames.forOpenAi(LONG + "2")).isNotEqualTo(shortened);

    JsonNode sent = Json.MAPPER.readTree(T.request(bytes(REQUEST), "gpt-4o", 0));

    assertThat(sent.path("tools").get(0).path("function").path("name").asString())
        .isEqualTo(shortened);
    assertThat(sent.path("tools").get(1).path("function").path("name").asString())
        .isEqualTo("Read");
    assertThat(sent.path("tool_choice").path("function").path("name").asString())
        .isEqualTo(shortened);
    assertThat(
            sent.path("messages")
                .get(1)
                .path("tool_calls")
                .get(0)
                .path("function")
                .path("name")
                .asString())
        .isEqualTo(shortened);
  }

  @Test
  void theProvidersCallOfTheShortenedNameComesBackUnderTheClientsOwn() {
    String shortened = ToolNames.forOpenAi(LONG);
    String completion =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
            + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\""
            + shortened
            + "\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}";

    JsonNode message = Json.MAPPER.readTree(T.response(bytes(completion), bytes(REQUEST)));
    JsonNode stream = streamedToolUse(T.stream(false, bytes(REQUEST)), shortened);

    assertThat(message.path("content").get(0).path("name").asString()).isEqualTo(LONG);
    assertThat(stream.path("content_block").path("name").asString()).isEqualTo(LONG);
    // A 64-character name of the provider's own that no request tool shortens to stays as it is.
    String other = "x".repeat(55) + "_00000000";
    assertThat(ToolNames.original(other, bytes(REQUEST))).isEqualTo(other);
  }

  private static JsonNode streamedToolUse(StreamTranslator t, String name) {
    String chunk =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":"
            + "{\"name\":\""
            + name
            + "\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}";
    List<SseFraming.Event> out =
        t.translate(new SseFraming.Event(SseFraming.event(null, chunk), null, chunk));
    return out.stream()
        .filter(e -> "content_block_start".equals(e.name()))
        .map(e -> Json.MAPPER.readTree(e.data()))
        .findFirst()
        .orElseThrow();
  }
}
