package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A tool-call id an OpenAI-compatible provider made up ({@code functions.Bash:0}, Kimi and others)
 * reaches an Anthropic client in the form Claude accepts ({@code ^[a-zA-Z0-9_-]+$}), answer and
 * stream alike, so the conversation can later fall back to an Anthropic provider.
 */
class ToolIdsTest {

  private static final String CLAUDE_ID = "[a-zA-Z0-9_-]+";

  @Test
  void anAnswersToolCallIdIsOneClaudeAccepts() {
    String completion =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"kimi\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
            + "\"tool_calls\":[{\"id\":\"functions.Bash:0\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"Bash\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
    byte[] message =
        Translator.between(Api.ANTHROPIC, Api.OPENAI)
            .response(completion.getBytes(StandardCharsets.UTF_8));

    String id = Json.MAPPER.readTree(message).path("content").get(0).path("id").asString();
    assertThat(id).matches(CLAUDE_ID).isEqualTo(ToolCalls.anthropicId("functions.Bash:0"));
    assertThat(ToolCalls.anthropicId("toolu_01A-b")).isEqualTo("toolu_01A-b");
  }

  /**
   * vLLM's ids (chatcmpl-tool- and 32 hex digits) and rewritten Kimi ones pass OpenAI's 40
   * characters: a history one provider made goes to the next shortened, call and result alike.
   */
  @Test
  void aHistorysToolCallIdOverFortyCharactersIsShortenedAlikeOnTheCallAndItsResult()
      throws Exception {
    String vllm = "chatcmpl-tool-4c8b0e6f5b1a4d2c9e7f3a2b1c0d9ed4";
    String request =
        "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"assistant\",\"content\":["
            + "{\"type\":\"tool_use\",\"id\":\""
            + vllm
            + "\",\"name\":\"Read\",\"input\":{}}]},{\"role\":\"user\",\"content\":["
            + "{\"type\":\"tool_result\",\"tool_use_id\":\""
            + vllm
            + "\",\"content\":\"ok\"}]}]}";

    JsonNode messages =
        Json.MAPPER
            .readTree(
                Translator.between(Api.ANTHROPIC, Api.OPENAI)
                    .request(request.getBytes(StandardCharsets.UTF_8), "gpt-4o", 0))
            .path("messages");

    String callId = messages.get(0).path("tool_calls").get(0).path("id").asString();
    assertThat(callId).hasSize(40).startsWith(vllm.substring(0, 31));
    assertThat(messages.get(1).path("tool_call_id").asString()).isEqualTo(callId);
    assertThat(ToolCalls.openAiId("toolu_01ABCdef")).isEqualTo("toolu_01ABCdef");
  }

  @Test
  void aStreamsToolCallIdIsOneClaudeAccepts() {
    StreamTranslator t = Translator.between(Api.ANTHROPIC, Api.OPENAI).stream();
    String chunk =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"kimi\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
            + "\"id\":\"functions.Bash:0\",\"type\":\"function\",\"function\":{\"name\":\"Bash\","
            + "\"arguments\":\"\"}}]},\"finish_reason\":null}]}";
    List<SseFraming.Event> out =
        new ArrayList<>(
            t.translate(new SseFraming.Event(SseFraming.event(null, chunk), null, chunk)));

    JsonNode start =
        out.stream()
            .filter(e -> "content_block_start".equals(e.name()))
            .map(e -> Json.MAPPER.readTree(e.data()))
            .findFirst()
            .orElseThrow();
    assertThat(start.path("content_block").path("id").asString()).matches(CLAUDE_ID);
  }
}
