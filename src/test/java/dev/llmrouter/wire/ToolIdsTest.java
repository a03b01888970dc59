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
