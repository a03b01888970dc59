package dev.llmrouter.wire;

import static dev.llmrouter.wire.ChatViaMessagesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.wire.Translator.NotTranslatable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The request direction, tools: definitions, choices, calls, results and turn merging. */
class ChatViaMessagesToolsTest {

  private static final Translator T = Translator.between(Api.OPENAI, Api.ANTHROPIC);

  private static final String TOOLS =
      """
      "tools":[{"type":"function","function":{"name":"get_time","description":"Time in a zone",
                 "parameters":{"type":"object","properties":{"zone":{"type":"string"}},
                               "required":["zone"]},"strict":true}},
               {"type":"function","function":{"name":"get_date"}}]""";

  private static JsonNode translate(String body) throws NotTranslatable {
    return json(T.request(body.getBytes(StandardCharsets.UTF_8), "claude-x", 0));
  }

  @Test
  void functionToolsBecomeToolsWithAnInputSchema() throws NotTranslatable {
    JsonNode out =
        translate("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]," + TOOLS + "}");
    assertThat(out.get("tools"))
        .isEqualTo(
            json(
                """
                [{"name":"get_time","description":"Time in a zone",
                  "input_schema":{"type":"object","properties":{"zone":{"type":"string"}},
                                  "required":["zone"]}},
                 {"name":"get_date","input_schema":{"type":"object","properties":{}}}]"""));
    assertThat(out.has("tool_choice")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          "tool_choice":"auto"                                              | {"type":"auto"}
          "tool_choice":"none"                                              | {"type":"none"}
          "tool_choice":"required"                                          | {"type":"any"}
          "tool_choice":{"type":"function","function":{"name":"get_date"}}  | {"type":"tool","name":"get_date"}
          "parallel_tool_calls":false                                       | {"type":"auto","disable_parallel_tool_use":true}
          "tool_choice":"auto","parallel_tool_calls":false                  | {"type":"auto","disable_parallel_tool_use":true}
          "tool_choice":"required","parallel_tool_calls":false              | {"type":"any","disable_parallel_tool_use":true}
          "tool_choice":{"type":"function","function":{"name":"get_date"}},"parallel_tool_calls":false | {"type":"tool","name":"get_date","disable_parallel_tool_use":true}
          "tool_choice":"none","parallel_tool_calls":false                  | {"type":"none"}
          """)
  void toolChoiceAndParallelCalls(String fields, String expected) throws NotTranslatable {
    JsonNode out =
        translate(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]," + TOOLS + "," + fields + "}");
    assertThat(out.get("tool_choice")).isEqualTo(json(expected));
  }

  @Test
  void aToolChoiceWithoutToolsIsLeftOut() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[{"role":"user","content":"Hi"}],"tool_choice":"auto",
             "parallel_tool_calls":false}""");
    assertThat(out.has("tool_choice")).isFalse();
    assertThat(out.has("tools")).isFalse();
  }

  @Test
  void aMultiTurnConversationWithParallelToolCallsAlternatesTurns() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[
              {"role":"system","content":"You tell the time."},
              {"role":"user","content":"Time and date in Paris?"},
              {"role":"assistant","content":"Looking it up.","tool_calls":[
                {"id":"call_A","type":"function","function":{"name":"get_time","arguments":"{\\"zone\\":\\"CET\\"}"}},
                {"id":"call_B","type":"function","function":{"name":"get_date","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_A","content":"12:00"},
              {"role":"tool","tool_call_id":"call_B","content":[{"type":"text","text":"1 May"}]},
              {"role":"user","content":"And in Tokyo?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_C","type":"function","function":{"name":"get_time","arguments":"{\\"zone\\":\\"JST\\"}"}}]},
              {"role":"tool","tool_call_id":"call_C","content":""}],"""
                + TOOLS
                + "}");
    assertThat(out.get("system")).isEqualTo(json("\"You tell the time.\""));
    assertThat(out.get("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"user","content":"Time and date in Paris?"},
                 {"role":"assistant","content":[
                   {"type":"text","text":"Looking it up."},
                   {"type":"tool_use","id":"call_A","name":"get_time","input":{"zone":"CET"}},
                   {"type":"tool_use","id":"call_B","name":"get_date","input":{}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"call_A","content":"12:00"},
                   {"type":"tool_result","tool_use_id":"call_B","content":[{"type":"text","text":"1 May"}]},
                   {"type":"text","text":"And in Tokyo?"}]},
                 {"role":"assistant","content":[
                   {"type":"tool_use","id":"call_C","name":"get_time","input":{"zone":"JST"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_C"}]}]"""));
  }

  @Test
  void toolResultsOpenTheirTurnEvenWhenTheClientWroteTextFirst() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[
              {"role":"user","content":"Time?"},
              {"role":"assistant","tool_calls":[
                {"id":"call_A","type":"function","function":{"name":"get_time","arguments":"{}"}},
                {"id":"call_B","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
              {"role":"user","content":"Hurry."},
              {"role":"tool","tool_call_id":"call_A","content":"12:00"},
              {"role":"tool","tool_call_id":"call_B","content":"13:00"}]}""");
    assertThat(out.get("messages").get(2))
        .isEqualTo(
            json(
                """
                {"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"call_A","content":"12:00"},
                  {"type":"tool_result","tool_use_id":"call_B","content":"13:00"},
                  {"type":"text","text":"Hurry."}]}"""));
  }

  @Test
  void consecutiveTurnsOfOneSideMergeAndEmptyOnesVanish() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[
              {"role":"user","content":"One."},
              {"role":"user","content":[{"type":"text","text":"Two."}]},
              {"role":"assistant","content":""},
              {"role":"user","content":"Three."},
              {"role":"assistant","content":[{"type":"text","text":"A"},{"type":"refusal","refusal":"No."}]},
              {"role":"assistant","content":null,"refusal":"Still no."}]}""");
    assertThat(out.get("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"user","content":[{"type":"text","text":"One."},{"type":"text","text":"Two."},
                                           {"type":"text","text":"Three."}]},
                 {"role":"assistant","content":[{"type":"text","text":"A"},{"type":"text","text":"No."},
                                                {"type":"text","text":"Still no."}]}]"""));
  }

  @Test
  void toolIdsClaudeRejectsAreRewrittenAlikeOnCallAndResult() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[
              {"role":"user","content":"Run it"},
              {"role":"assistant","tool_calls":[
                {"id":"functions.Bash:0","type":"function","function":{"name":"Bash","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"functions.Bash:0","content":"ok"}]}""");
    String callId = out.at("/messages/1/content/0/id").stringValue();
    assertThat(callId).matches("[a-zA-Z0-9_-]+").startsWith("functions_Bash_0_");
    assertThat(out.at("/messages/2/content/0/tool_use_id").stringValue()).isEqualTo(callId);
    assertThat(ToolCalls.anthropicId("call_Ab-9")).isEqualTo("call_Ab-9");
  }

  @Test
  void argumentsThatAreNoJsonObjectAreRefused() {
    for (String arguments : new String[] {"{\\\"zone\\\":", "[1]", "not json"}) {
      String body =
          """
          {"messages":[
            {"role":"user","content":"Time?"},
            {"role":"assistant","tool_calls":[
              {"id":"call_A","type":"function","function":{"name":"get_time","arguments":"%s"}}]},
            {"role":"tool","tool_call_id":"call_A","content":"12:00"}]}"""
              .formatted(arguments);
      try {
        T.request(body.getBytes(StandardCharsets.UTF_8), "claude-x", 0);
        throw new AssertionError("translated " + arguments);
      } catch (NotTranslatable e) {
        assertThat(e.field()).isEqualTo("messages[1].tool_calls[0].function.arguments");
      }
    }
  }
}
