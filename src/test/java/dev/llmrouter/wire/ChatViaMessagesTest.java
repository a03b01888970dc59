package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Translator.NotTranslatable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The request direction: an OpenAI chat request, before and after (PROTOCOLS.md 5.1). */
class ChatViaMessagesTest {

  private static final Translator T = Translator.between(Api.OPENAI, Api.ANTHROPIC);

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  static JsonNode json(byte[] bytes) {
    return Json.MAPPER.readTree(bytes);
  }

  private static JsonNode translate(String body) throws NotTranslatable {
    return json(T.request(body.getBytes(StandardCharsets.UTF_8), "claude-x", 0));
  }

  private static String refusedField(String body) {
    try {
      T.request(body.getBytes(StandardCharsets.UTF_8), "claude-x", 0);
    } catch (NotTranslatable e) {
      return e.field();
    }
    throw new AssertionError("translated: " + body);
  }

  @Test
  void isTheTranslatorForOpenAiClientsOfAnthropicProviders() {
    assertThat(T.client()).isEqualTo(Api.OPENAI);
    assertThat(T.provider()).isEqualTo(Api.ANTHROPIC);
  }

  @Test
  void aPlainRequestGetsTheProvidersModelAndTheDefaultLimit() throws NotTranslatable {
    assertThat(
            translate(
                """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"stream":true}"""))
        .isEqualTo(
            json(
                """
                {"model":"claude-x","max_tokens":4096,
                 "messages":[{"role":"user","content":"Hi"}],"stream":true}"""));
  }

  @Test
  void outputLimitsPreferMaxCompletionTokens() throws NotTranslatable {
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    assertThat(
            translate("{\"max_completion_tokens\":100,\"max_tokens\":50," + messages + "}")
                .get("max_tokens")
                .intValue())
        .isEqualTo(100);
    assertThat(translate("{\"max_tokens\":50," + messages + "}").get("max_tokens").intValue())
        .isEqualTo(50);
    assertThat(translate("{\"max_tokens\":null," + messages + "}").get("max_tokens").intValue())
        .isEqualTo(4096);
  }

  /** Toward Claude, a provider's max_tokens stands in for a missing limit only (issue 14 §1.4). */
  @Test
  void theProvidersMaxTokensStandsInForNoLimitAndLeavesTheClientsAlone() throws NotTranslatable {
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    byte[] big =
        ("{\"max_completion_tokens\":100000," + messages + "}").getBytes(StandardCharsets.UTF_8);
    byte[] none = ("{" + messages + "}").getBytes(StandardCharsets.UTF_8);

    assertThat(json(T.request(big, "claude-x", 64000)).get("max_tokens").intValue())
        .isEqualTo(100000);
    assertThat(json(T.request(big, "claude-x", 0)).get("max_tokens").intValue()).isEqualTo(100000);
    assertThat(json(T.request(none, "claude-x", 8192)).get("max_tokens").intValue())
        .isEqualTo(8192);
  }

  @Test
  void systemAndDeveloperMessagesAnywhereBecomeTheSystemPromptInOrder() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Hi"},
              {"role":"developer","content":[{"type":"text","text":"Answer in French."},
                                             {"type":"text","text":"No emoji."}]},
              {"role":"assistant","content":"Salut"}]}""");
    assertThat(out.get("system"))
        .isEqualTo(
            json(
                """
                [{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."},
                 {"type":"text","text":"No emoji."}]"""));
    assertThat(out.get("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"user","content":"Hi"},{"role":"assistant","content":"Salut"}]"""));
  }

  @Test
  void oneSystemTextStaysAString() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[{"role":"developer","content":[{"type":"text","text":"Be brief."}]},
                         {"role":"user","content":"Hi"}]}""");
    assertThat(out.get("system")).isEqualTo(json("\"Be brief.\""));
  }

  @Test
  void samplingStopAndUserTranslate() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[{"role":"user","content":"Hi"}],"temperature":1.7,"top_p":0.9,
             "stop":"END","user":"u-42"}""");
    assertThat(out)
        .isEqualTo(
            json(
                """
                {"model":"claude-x","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}],
                 "stop_sequences":["END"],"temperature":1.0,"metadata":{"user_id":"u-42"}}"""));
    assertThat(translate("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"top_p\":0.9}"))
        .as("top_p alone is kept; with temperature (which Claude 4.5 refuses) it is not")
        .isEqualTo(
            json(
                """
                {"model":"claude-x","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}],
                 "top_p":0.9}"""));
    out =
        translate(
            """
            {"messages":[{"role":"user","content":"Hi"}],"temperature":0.3,"top_p":1,
             "stop":["a","b"]}""");
    assertThat(out.get("temperature").doubleValue()).isEqualTo(0.3);
    assertThat(out.has("top_p")).as("top_p 1 is the default").isFalse();
    assertThat(out.get("stop_sequences")).isEqualTo(json("[\"a\",\"b\"]"));
  }

  @Test
  void fieldsWithoutACounterpartAreDropped() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"model":"gpt-4o","messages":[{"role":"user","content":"Hi","name":"ann"}],
             "seed":7,"frequency_penalty":0.5,"presence_penalty":0.5,"logit_bias":{"50256":-100},
             "service_tier":"auto","stream_options":{"include_usage":true},"store":true,
             "metadata":{"k":"v"},"reasoning_effort":"high","n":1,"logprobs":false,
             "response_format":{"type":"text"},"parallel_tool_calls":true,"modalities":["text"],
             "some_future_field":{"x":1},"stream":false}""");
    assertThat(out)
        .isEqualTo(
            json(
                """
                {"model":"claude-x","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}],
                 "stream":false}"""));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          "n":2                                                  | n
          "logprobs":true                                        | logprobs
          "top_logprobs":3                                       | top_logprobs
          "audio":{"voice":"alloy","format":"wav"}               | audio
          "modalities":["text","audio"]                          | modalities
          "response_format":{"type":"json_schema","json_schema":{"name":"x"}} | response_format
          "response_format":{"type":"json_object"}               | response_format
          "prediction":{"type":"content","content":"x"}          | prediction
          "functions":[{"name":"f","parameters":{}}]             | functions
          "function_call":"auto"                                 | function_call
          "web_search_options":{}                                | web_search_options
          "tools":[{"type":"custom","custom":{"name":"grammar"}}] | tools[0]
          "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[]}} | tool_choice
          """)
  void whatMessagesCannotExpressIsRefusedWithTheField(String field, String expected) {
    assertThat(
            refusedField("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]," + field + "}"))
        .isEqualTo(expected);
  }

  @Test
  void aTextResponseFormatIsDroppedAsTheDefault() throws Exception {
    JsonNode out =
        translate(
            """
            {"messages":[{"role":"user","content":"Who?"}],"response_format":{"type":"text"}}""");
    assertThat(out.has("response_format")).isFalse();
    assertThat(out.has("output_config")).isFalse();
  }

  @Test
  void partsWithoutACounterpartAreRefusedWithTheirPlace() {
    assertThat(
            refusedField(
                """
                {"messages":[{"role":"system","content":"x"},{"role":"user","content":[
                  {"type":"text","text":"What is said?"},
                  {"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}"""))
        .isEqualTo("messages[1].content[1]");
    assertThat(
            refusedField(
                """
                {"messages":[{"role":"user","content":[
                  {"type":"file","file":{"file_id":"file-1"}}]}]}"""))
        .isEqualTo("messages[0].content[0]");
    assertThat(
            refusedField(
                """
                {"messages":[{"role":"function","name":"f","content":"1"}]}"""))
        .isEqualTo("messages[0]");
  }

  @Test
  void imagesByDataUrlAndByHttpUrl() throws NotTranslatable {
    JsonNode out =
        translate(
            """
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"Compare"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}""");
    assertThat(out.get("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"user","content":[
                  {"type":"text","text":"Compare"},
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]"""));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "data:image/jpg;base64,/9j/4AAQ | image/jpeg",
        "data:image/JPEG;base64,/9j/4AAQ | image/jpeg",
        "data:Image/PNG;base64,iVBORw0KGgo= | image/png",
        "data:image/pjpeg;base64,/9j/4AAQ | image/jpeg"
      })
  void mediaTypesAreReadWhateverTheirCaseAndJpgIsJpeg(String url, String mediaType)
      throws Exception {
    JsonNode out =
        translate(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\""
                + url
                + "\"}}]}]}");
    assertThat(out.at("/messages/0/content/0/source/media_type").asString()).isEqualTo(mediaType);
  }

  @ParameterizedTest
  @CsvSource({"data:image/bmp;base64,Qk0=", "data:image/svg+xml;utf8,<svg/>", "ftp://h/cat.png"})
  void imagesMessagesCannotTakeAreRefused(String url) {
    assertThat(
            refusedField(
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                    + "\"image_url\":{\"url\":\""
                    + url
                    + "\"}}]}]}"))
        .isEqualTo("messages[0].content[0]");
  }

  @Test
  void bodiesThatAreNoChatRequestAreIllegalArgumentsAndFieldsOfNoChatRequestAreRefused() {
    for (String body : new String[] {"not json", "[1]"}) {
      assertThatThrownBy(() -> translate(body))
          .as(body)
          .isInstanceOf(IllegalArgumentException.class);
    }
    // The client's own API may still take these (a provider of it answers): refused, by field.
    assertThatThrownBy(() -> translate("{}"))
        .isInstanceOfSatisfying(
            NotTranslatable.class, e -> assertThat(e.field()).isEqualTo("messages"));
    assertThatThrownBy(() -> translate("{\"messages\":[{\"role\":\"robot\"}]}"))
        .isInstanceOfSatisfying(
            NotTranslatable.class, e -> assertThat(e.field()).isEqualTo("messages[0].role"));
  }

  @Test
  void aStopOfWhiteSpaceOnlyIsNotTranslatableForMessagesRefusesIt() {
    assertThat(
            refusedField(
                "{\"model\":\"m\",\"stop\":\"\\n\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo("stop");
    assertThat(
            refusedField(
                "{\"model\":\"m\",\"stop\":[\"END\",\" \"],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo("stop");
  }

  @Test
  void aToolHistoryWithoutToolsDefinesThemBareAndLetsNoneBeCalled() throws Exception {
    // A summary after a tool loop (opencode's compaction, AI SDK generateText without tools):
    // Messages refuses tool_use and tool_result blocks in a request without tools.
    JsonNode out =
        translate(
            """
            {"model":"m","messages":[
              {"role":"user","content":"List the files"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"bash","arguments":"{\\"cmd\\":\\"ls\\"}"}},
                {"id":"call_2","type":"function","function":{"name":"read","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"a.txt"},
              {"role":"tool","tool_call_id":"call_2","content":"..."},
              {"role":"user","content":"Summarize the conversation"}]}""");

    assertThat(out.get("tools"))
        .isEqualTo(
            json(
                """
                [{"name":"bash","input_schema":{"type":"object"}},
                 {"name":"read","input_schema":{"type":"object"}}]"""));
    assertThat(out.get("tool_choice")).isEqualTo(json("{\"type\":\"none\"}"));
    assertThat(
            translate("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .has("tools"))
        .isFalse();
  }

  @Test
  void blankTextIsLeftOutForMessagesRefusesIt() throws NotTranslatable {
    // Claude may answer "\n\n" before a tool call; sent back as it came, Messages answers 400
    // "text content blocks must contain non-whitespace text".
    JsonNode out =
        translate(
            """
            {"messages":[{"role":"user","content":"Run it"},
             {"role":"assistant","content":"\\n\\n","tool_calls":[{"id":"call_1","type":"function",
              "function":{"name":"run","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":" "},
             {"role":"user","content":[{"type":"text","text":"  "},{"type":"text","text":"ok?"}]}],
             "tools":[{"type":"function","function":{"name":"run","parameters":{"type":"object"}}}]}""");
    assertThat(out.get("messages"))
        .isEqualTo(
            json(
                """
                [{"role":"user","content":"Run it"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"run","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1"},
                                           {"type":"text","text":"ok?"}]}]"""));
  }

  @Test
  void aFinalAssistantTurnLosesItsTrailingWhiteSpace() throws NotTranslatable {
    // Messages: 400 "final assistant content cannot end with trailing whitespace".
    JsonNode out =
        translate(
            """
            {"messages":[{"role":"user","content":"JSON please"},
             {"role":"assistant","content":"Here it is: \\n"}]}""");
    assertThat(out.get("messages").get(1).get("content").asString()).isEqualTo("Here it is:");
  }

  @Test
  void aSystemPromptAloneIsNotTranslatableForMessagesNeedsATurn() {
    assertThat(refusedField("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"}]}"))
        .isEqualTo("messages");
    assertThat(
            refusedField(
                "{\"messages\":[{\"role\":\"system\",\"content\":\"x\"},{\"role\":\"user\",\"content\":null}]}"))
        .isEqualTo("messages");
  }
}
