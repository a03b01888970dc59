package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an OpenAI provider cannot do faithfully is refused with the field at fault (the router then
 * skips that provider); what is not a Messages request at all is an IllegalArgumentException.
 */
class MessagesViaChatRefusalTest {

  private static String refusedField(String anthropic) {
    Translator.NotTranslatable refused =
        catchThrowableOfType(
            Translator.NotTranslatable.class,
            () ->
                MessagesViaChat.INSTANCE.request(
                    anthropic.getBytes(StandardCharsets.UTF_8), "gpt-4o", 0));
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.getMessage()).isNotBlank();
    return refused.field();
  }

  private static final String TURN = "\"model\":\"m\",\"max_tokens\":1";

  @Test
  void aDocumentBlockIsRefused() {
    assertThat(
            refusedField(
                """
                {%s,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},
                 {"role":"user","content":[{"type":"text","text":"Summarise"},
                   {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]}]}"""
                    .formatted(TURN)))
        .isEqualTo("messages[2].content[1]");
  }

  @Test
  void aDocumentInsideAToolResultIsRefused() {
    assertThat(
            refusedField(
                """
                {%s,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
                  "content":[{"type":"text","text":"x"},{"type":"document","source":{}}]}]}]}"""
                    .formatted(TURN)))
        .isEqualTo("messages[0].content[0].content[1]");
  }

  @ParameterizedTest
  @CsvSource({
    "web_search_20250305",
    "bash_20250124",
    "text_editor_20250728",
    "code_execution_20250825",
  })
  void serverToolsAreRefused(String type) {
    assertThat(
            refusedField(
                "{%s,\"messages\":[],\"tools\":[{\"name\":\"Read\",\"input_schema\":{}},"
                        .formatted(TURN)
                    + "{\"type\":\""
                    + type
                    + "\",\"name\":\"x\"}]}"))
        .isEqualTo("tools[1]");
  }

  @Test
  void containerAndMcpServersAreRefused() {
    assertThat(refusedField("{%s,\"messages\":[],\"container\":\"c_1\"}".formatted(TURN)))
        .isEqualTo("container");
    assertThat(
            refusedField(
                "{%s,\"messages\":[],\"mcp_servers\":[{\"type\":\"url\",\"url\":\"https://x\"}]}"
                    .formatted(TURN)))
        .isEqualTo("mcp_servers");
  }

  @Test
  void anEmptyMcpServerListOrANullContainerAsksForNothing() throws Exception {
    byte[] body =
        "{%s,\"messages\":[],\"mcp_servers\":[],\"container\":null}"
            .formatted(TURN)
            .getBytes(StandardCharsets.UTF_8);
    assertThat(MessagesViaChat.INSTANCE.request(body, "gpt-4o", 1)).isNotEmpty();
  }

  @Test
  void serverToolHistoryAndUnknownBlocksAreRefusedRatherThanLost() {
    assertThat(
            refusedField(
                """
                {%s,"messages":[{"role":"assistant","content":[
                  {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}]}]}"""
                    .formatted(TURN)))
        .isEqualTo("messages[0].content[0]");
    assertThat(
            refusedField(
                """
                {%s,"messages":[{"role":"user","content":[{"type":"search_result","content":[]}]}]}"""
                    .formatted(TURN)))
        .isEqualTo("messages[0].content[0]");
  }

  @Test
  void anImageFromTheFilesApiIsRefused() {
    assertThat(
            refusedField(
                """
                {%s,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"file","file_id":"file_1"}}]}]}"""
                    .formatted(TURN)))
        .isEqualTo("messages[0].content[0].source");
  }

  @Test
  void aToolChoiceOfAnUnknownTypeIsRefused() {
    assertThat(
            refusedField(
                "{%s,\"messages\":[],\"tools\":[{\"name\":\"a\"}],\"tool_choice\":{\"type\":\"x\"}}"
                    .formatted(TURN)))
        .isEqualTo("tool_choice.type");
  }

  @Test
  void aBodyThatIsNotAMessagesRequestIsAnIllegalArgumentAndAFieldOfNoneIsRefused() {
    for (String body : new String[] {"{\"model\":\"m\"}", "{\"messages\":[{\"role\":\"tool\"}]}"}) {
      assertThatThrownBy(
              () ->
                  MessagesViaChat.INSTANCE.request(
                      body.getBytes(StandardCharsets.UTF_8), "gpt-4o", 1))
          .as(body)
          .isInstanceOf(Translator.NotTranslatable.class)
          .hasMessageNotContaining("tool");
    }
    for (String body : new String[] {"not json", "[]"}) {
      assertThatThrownBy(
              () ->
                  MessagesViaChat.INSTANCE.request(
                      body.getBytes(StandardCharsets.UTF_8), "gpt-4o", 1))
          .as(body)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
