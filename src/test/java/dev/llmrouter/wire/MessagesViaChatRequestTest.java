package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Anthropic Messages requests as OpenAI chat requests: one mapping row per test, before/after. */
class MessagesViaChatRequestTest {

  static JsonNode translate(String anthropic) throws Translator.NotTranslatable {
    return translate(anthropic, "gpt-4o");
  }

  static JsonNode translate(String anthropic, String model) throws Translator.NotTranslatable {
    byte[] body = anthropic.getBytes(StandardCharsets.UTF_8);
    return Json.MAPPER.readTree(MessagesViaChat.INSTANCE.request(body, model, 0));
  }

  static JsonNode json(String json) {
    return Json.MAPPER.readTree(json);
  }

  @Test
  void aPlainTextTurnKeepsItsStringAndTheProviderModel() throws Exception {
    assertThat(
            translate(
                """
                {"model":"claude-sonnet-4-5","max_tokens":1024,
                 "messages":[{"role":"user","content":"Hello"}]}"""))
        .isEqualTo(
            json(
                """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}],
                 "max_tokens":1024}"""));
  }

  @Test
  void topLevelSystemStringBecomesTheFirstMessage() throws Exception {
    assertThat(
            translate(
                    """
                {"model":"m","max_tokens":10,"system":"Be brief.",
                 "messages":[{"role":"user","content":"Hi"}]}""")
                .get("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]"""));
  }

  @Test
  void systemBlocksAndSystemEntriesInMessagesMoveUpIntoOneSystemMessageInOrder() throws Exception {
    assertThat(
            translate(
                    """
                {"model":"m","max_tokens":10,
                 "system":[{"type":"text","text":"You are an agent."},
                           {"type":"text","text":"Rules.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"Hi"},
                             {"role":"assistant","content":"Hello"},
                             {"role":"system","content":"Reminder one."},
                             {"role":"system","content":[{"type":"text","text":"Reminder two."}]},
                             {"role":"user","content":"Go on"}]}""")
                .get("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"system",
                  "content":"You are an agent.\\n\\nRules.\\n\\nReminder one.\\n\\nReminder two."},
                 {"role":"user","content":"Hi"},
                 {"role":"assistant","content":"Hello"},
                 {"role":"user","content":"Go on"}]"""));
  }

  @Test
  void textBlocksJoinIntoOneStringAndImagesOfBothSourcesBecomeImageUrlParts() throws Exception {
    JsonNode messages =
        translate(
                """
                {"model":"m","max_tokens":10,"messages":[
                 {"role":"user","content":[{"type":"text","text":"<reminder>"},
                                           {"type":"text","text":"Question?"}]},
                 {"role":"assistant","content":[{"type":"text","text":"Answer."}]},
                 {"role":"user","content":[
                   {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                   {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                   {"type":"text","text":"Compare them."}]}]}""")
            .get("messages");
    assertThat(messages)
        .isEqualTo(
            json(
                """
                [{"role":"user","content":"<reminder>\\n\\nQuestion?"},
                 {"role":"assistant","content":"Answer."},
                 {"role":"user","content":[
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                   {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
                   {"type":"text","text":"Compare them."}]}]"""));
  }

  @Test
  void multiTurnToolUseBecomesToolCallsAndToolMessagesBeforeTheTurnsText() throws Exception {
    JsonNode messages =
        translate(
                """
                {"model":"m","max_tokens":10,"messages":[
                 {"role":"user","content":"What time is it in Paris?"},
                 {"role":"assistant","content":[
                   {"type":"thinking","thinking":"Use the tool.","signature":"c2ln"},
                   {"type":"text","text":"Checking."},
                   {"type":"tool_use","id":"toolu_01A","name":"get_time","input":{"zone":"Europe/Paris"}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_01A","content":"14:05"},
                   {"type":"text","text":"And in Tokyo?"}]},
                 {"role":"assistant","content":[
                   {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{"zone":"Asia/Tokyo"}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_01B","is_error":true,
                    "content":[{"type":"text","text":"timeout"},{"type":"text","text":"retry later"}]}]}]}""")
            .get("messages");
    assertThat(messages)
        .isEqualTo(
            json(
                """
                [{"role":"user","content":"What time is it in Paris?"},
                 {"role":"assistant","content":"Checking.","tool_calls":[
                   {"id":"toolu_01A","type":"function",
                    "function":{"name":"get_time","arguments":"{\\"zone\\":\\"Europe/Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"toolu_01A","content":"14:05"},
                 {"role":"user","content":"And in Tokyo?"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"toolu_01B","type":"function",
                    "function":{"name":"get_time","arguments":"{\\"zone\\":\\"Asia/Tokyo\\"}"}}]},
                 {"role":"tool","tool_call_id":"toolu_01B","content":"timeout\\n\\nretry later"}]"""));
  }

  @Test
  void parallelToolUsesBecomeOneAssistantMessageAndOneToolMessagePerResultInOrder()
      throws Exception {
    JsonNode messages =
        translate(
                """
                {"model":"m","max_tokens":10,"messages":[
                 {"role":"user","content":"Time and date?"},
                 {"role":"assistant","content":[
                   {"type":"tool_use","id":"toolu_A","name":"get_time","input":{}},
                   {"type":"tool_use","id":"toolu_B","name":"get_date","input":{"tz":"UTC"}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"toolu_A","content":"12:00"},
                   {"type":"tool_result","tool_use_id":"toolu_B","content":"2026-08-01"}]}]}""")
            .get("messages");
    assertThat(messages)
        .isEqualTo(
            json(
                """
                [{"role":"user","content":"Time and date?"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"toolu_A","type":"function","function":{"name":"get_time","arguments":"{}"}},
                   {"id":"toolu_B","type":"function",
                    "function":{"name":"get_date","arguments":"{\\"tz\\":\\"UTC\\"}"}}]},
                 {"role":"tool","tool_call_id":"toolu_A","content":"12:00"},
                 {"role":"tool","tool_call_id":"toolu_B","content":"2026-08-01"}]"""));
  }

  @Test
  void aToolResultsImageFollowsInAUserMessageAfterTheToolMessages() throws Exception {
    JsonNode messages =
        translate(
                """
                {"model":"m","max_tokens":10,"messages":[
                 {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Read","input":{}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"t1","content":[
                     {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}]},
                   {"type":"text","text":"What is in it?"}]}]}""")
            .get("messages");
    assertThat(messages.get(1))
        .isEqualTo(
            json(
                """
                {"role":"tool","tool_call_id":"t1",
                 "content":"(the tool returned an image; it follows in the next message)"}"""));
    assertThat(messages.get(2))
        .isEqualTo(
            json(
                """
                {"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/"}},
                  {"type":"text","text":"What is in it?"}]}"""));
    assertThat(messages).hasSize(3);
  }

  /** Claude Code's ToolSearch result: the tools it loads are in "tools" from then on. */
  @Test
  void aToolSearchResultsToolReferencesBecomeANoteNamingEachTool() throws Exception {
    JsonNode messages =
        translate(
                """
                {"model":"m","max_tokens":10,"messages":[
                 {"role":"assistant","content":[
                   {"type":"tool_use","id":"t1","name":"ToolSearch","input":{"query":"select:x"}}]},
                 {"role":"user","content":[
                   {"type":"tool_result","tool_use_id":"t1","content":[
                     {"type":"tool_reference","tool_name":"mcp__depgraph__depgraph"},
                     {"type":"tool_reference","tool_name":"WebFetch"}]}]}]}""")
            .get("messages");
    assertThat(messages.get(1))
        .isEqualTo(
            json(
                """
                {"role":"tool","tool_call_id":"t1",
                 "content":"Tool loaded: mcp__depgraph__depgraph\\n\\nTool loaded: WebFetch"}"""));
  }

  @Test
  void anAssistantTurnOfOnlyThinkingIsLeftOut() throws Exception {
    JsonNode messages =
        translate(
                """
                {"model":"m","max_tokens":10,"messages":[
                 {"role":"user","content":"a"},
                 {"role":"assistant","content":[{"type":"redacted_thinking","data":"xyz"}]},
                 {"role":"user","content":"b"}]}""")
            .get("messages");
    assertThat(messages)
        .isEqualTo(
            json("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"}]"));
  }

  @Test
  void toolsBecomeFunctionsWithoutCacheControlOrDeferLoading() throws Exception {
    JsonNode out =
        translate(
            """
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"x"}],
             "tools":[{"name":"Bash","description":"Run a command",
                       "input_schema":{"type":"object","properties":{"command":{"type":"string"}},
                                       "required":["command"]},
                       "cache_control":{"type":"ephemeral"}},
                      {"type":"custom","name":"Later","input_schema":{"type":"object"},
                       "defer_loading":true}]}""");
    assertThat(out.get("tools"))
        .isEqualTo(
            json(
                """
                [{"type":"function","function":{"name":"Bash","description":"Run a command",
                   "parameters":{"type":"object","properties":{"command":{"type":"string"}},
                                 "required":["command"]}}},
                 {"type":"function","function":{"name":"Later","parameters":{"type":"object"}}}]"""));
    assertThat(out.has("tool_choice")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"auto\"}                                  | \"auto\"",
        "{\"type\":\"any\"}                                   | \"required\"",
        "{\"type\":\"none\"}                                  | \"none\"",
        "{\"type\":\"tool\",\"name\":\"Bash\"}                | {\"type\":\"function\",\"function\":{\"name\":\"Bash\"}}",
      })
  void toolChoiceMapsToOpenAisForm(String anthropic, String openAi) throws Exception {
    JsonNode out =
        translate(
            "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[],"
                + "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":"
                + anthropic
                + "}");
    assertThat(out.get("tool_choice")).isEqualTo(json(openAi));
    assertThat(out.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void disableParallelToolUseBecomesParallelToolCallsFalse() throws Exception {
    JsonNode out =
        translate(
            """
            {"model":"m","max_tokens":1,"messages":[],
             "tools":[{"name":"Bash","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"auto","disable_parallel_tool_use":true}}""");
    assertThat(out.get("tool_choice").asString()).isEqualTo("auto");
    assertThat(out.get("parallel_tool_calls").asBoolean()).isFalse();
  }

  @Test
  void toolChoiceWithoutToolsIsLeftOutAsOpenAiRejectsIt() throws Exception {
    JsonNode out =
        translate(
            """
            {"model":"m","max_tokens":1,"messages":[],"tools":[],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true}}""");
    assertThat(out.has("tools")).isFalse();
    assertThat(out.has("tool_choice")).isFalse();
    assertThat(out.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void aRequestWithoutMaxTokensGetsTheRoutersDefault() throws Exception {
    byte[] body = "{\"model\":\"m\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    JsonNode out = Json.MAPPER.readTree(MessagesViaChat.INSTANCE.request(body, "gpt-4o", 777));
    assertThat(out.get("max_tokens").asInt()).isEqualTo(777);
  }

  @Test
  void samplingStopUserAndStreamMapAndTheRestIsDropped() throws Exception {
    JsonNode out =
        translate(
            """
            {"model":"m","max_tokens":50,"messages":[{"role":"user","content":"x"}],
             "temperature":0.3,"top_p":0.9,"top_k":40,"stop_sequences":["END","STOP"],
             "metadata":{"user_id":"user_42","other":"x"},"stream":true,
             "thinking":{"type":"enabled","budget_tokens":2000},"service_tier":"auto",
             "context_management":{"edits":[]},"output_config":{"effort":"high"},
             "cache_control":{"type":"ephemeral"}}""");
    assertThat(out)
        .isEqualTo(
            json(
                """
                {"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"max_tokens":50,
                 "temperature":0.3,"top_p":0.9,"stop":["END","STOP"],"user":"user_42",
                 "stream":true,"stream_options":{"include_usage":true}}"""));
  }

  @Test
  void streamFalseSendsNoStreamFields() throws Exception {
    JsonNode out = translate("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"stream\":false}");
    assertThat(out.has("stream")).isFalse();
    assertThat(out.has("stream_options")).isFalse();
  }

  @Test
  void moreThanFourStopSequencesAreNotTranslatableForOpenAiTakesFour() {
    assertThatThrownBy(
            () ->
                translate(
                    """
                    {"model":"claude-x","max_tokens":8,"stop_sequences":["a","b","c","d","e"],
                     "messages":[{"role":"user","content":"Hi"}]}"""))
        .isInstanceOfSatisfying(
            Translator.NotTranslatable.class,
            e -> assertThat(e.field()).isEqualTo("stop_sequences"));
  }

  @Test
  void aFinalAssistantTurnIsNotTranslatableForChatWouldNotContinueIt() {
    // A prefill: Messages continues "{", Chat Completions would answer anew after it.
    assertThatThrownBy(
            () ->
                translate(
                    """
                    {"model":"claude-x","max_tokens":8,
                     "messages":[{"role":"user","content":"JSON"},{"role":"assistant","content":"{"}]}"""))
        .isInstanceOfSatisfying(
            Translator.NotTranslatable.class, e -> assertThat(e.field()).isEqualTo("messages[1]"));
  }
}
