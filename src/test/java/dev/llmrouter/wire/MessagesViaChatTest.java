package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** OpenAI chat completions and error bodies as Anthropic messages and errors. */
class MessagesViaChatTest {

  private static JsonNode response(String openAi) {
    return Json.MAPPER.readTree(
        MessagesViaChat.INSTANCE.response(openAi.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode error(int status, String body) {
    return Json.MAPPER.readTree(
        MessagesViaChat.INSTANCE.error(status, body.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode json(String json) {
    return Json.MAPPER.readTree(json);
  }

  @Test
  void theTranslatorIsTheOneForAnthropicClientsOfOpenAiProviders() {
    assertThat(Translator.between(Api.ANTHROPIC, Api.OPENAI)).isSameAs(MessagesViaChat.INSTANCE);
    assertThat(MessagesViaChat.INSTANCE.client()).isEqualTo(Api.ANTHROPIC);
    assertThat(MessagesViaChat.INSTANCE.provider()).isEqualTo(Api.OPENAI);
    assertThat(MessagesViaChat.INSTANCE.stream()).isNotSameAs(MessagesViaChat.INSTANCE.stream());
  }

  @Test
  void aTextAnswerBecomesAMessageWithUsageLessTheCachedTokens() {
    assertThat(
            response(
                """
                {"id":"chatcmpl-A652F","object":"chat.completion","created":1726012687,
                 "model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi","refusal":null},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1300,"completion_tokens":5,"total_tokens":1305,
                          "prompt_tokens_details":{"cached_tokens":1024},
                          "completion_tokens_details":{"reasoning_tokens":0}},
                 "system_fingerprint":null,"service_tier":"default"}"""))
        .isEqualTo(
            json(
                """
                {"id":"msg_A652F","type":"message","role":"assistant","model":"gpt-4o-2024-08-06",
                 "content":[{"type":"text","text":"Hi"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":276,"cache_creation_input_tokens":0,
                          "cache_read_input_tokens":1024,"output_tokens":5}}"""));
  }

  @Test
  void toolCallsBecomeToolUseBlocksAfterTheTextWithIdsKept() {
    assertThat(
            response(
                """
                {"id":"chatcmpl-2","model":"gpt-4o","choices":[{"index":0,"finish_reason":"tool_calls",
                  "message":{"role":"assistant","content":"Let me check.","tool_calls":[
                   {"id":"call_A","type":"function","function":{"name":"get_time","arguments":"{\\"zone\\":\\"UTC\\"}"}},
                   {"id":"call_B","type":"function","function":{"name":"get_date","arguments":""}}]}}],
                 "usage":{"prompt_tokens":149,"completion_tokens":60,"total_tokens":209}}"""))
        .isEqualTo(
            json(
                """
                {"id":"msg_2","type":"message","role":"assistant","model":"gpt-4o",
                 "content":[{"type":"text","text":"Let me check."},
                            {"type":"tool_use","id":"call_A","name":"get_time","input":{"zone":"UTC"}},
                            {"type":"tool_use","id":"call_B","name":"get_date","input":{}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":149,"cache_creation_input_tokens":0,
                          "cache_read_input_tokens":0,"output_tokens":60}}"""));
  }

  @Test
  void argumentsSentAsAnObjectAreTheInput() {
    // Some compatible servers send the arguments object itself, not its JSON text.
    JsonNode message =
        response(
            """
            {"id":"chatcmpl-4","model":"m","choices":[{"index":0,"finish_reason":"tool_calls",
              "message":{"role":"assistant","content":null,"tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"w","arguments":{"city":"Paris"}}}]}}]}""");
    assertThat(message.at("/content/0/input")).isEqualTo(json("{\"city\":\"Paris\"}"));
  }

  @Test
  void unparsableArgumentsBecomeAnEmptyInput() {
    JsonNode message =
        response(
            """
            {"id":"chatcmpl-3","model":"m","choices":[{"index":0,"finish_reason":"length",
              "message":{"role":"assistant","content":null,"tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"Write","arguments":"{\\"path\\": \\"/tm"}},
               {"id":"call_2","type":"function","function":{"name":"Write","arguments":"[1,2]"}}]}}]}""");
    assertThat(message.get("content"))
        .isEqualTo(
            json(
                """
                [{"type":"tool_use","id":"call_1","name":"Write","input":{}},
                 {"type":"tool_use","id":"call_2","name":"Write","input":{}}]"""));
    assertThat(message.get("stop_reason").asString()).isEqualTo("max_tokens");
  }

  @ParameterizedTest
  @CsvSource({
    "stop, end_turn",
    "length, max_tokens",
    "tool_calls, end_turn", // no call in the message: nothing for the agent to run
    "function_call, end_turn",
    "content_filter, refusal",
    "eos, end_turn",
  })
  void everyFinishReasonHasAStopReason(String finish, String stop) {
    JsonNode message =
        response(
            "{\"id\":\"chatcmpl-f\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"x\"},"
                + "\"finish_reason\":\""
                + finish
                + "\"}]}");
    assertThat(message.get("stop_reason").asString()).isEqualTo(stop);
    assertThat(message.get("stop_sequence").isNull()).isTrue();
  }

  @Test
  void aFilteredTurnWithACallIsARefusalNotAToolUse() {
    JsonNode message =
        response(
            """
            {"id":"x","model":"m","choices":[{"index":0,"finish_reason":"content_filter",
              "message":{"role":"assistant","tool_calls":[{"id":"c","type":"function",
              "function":{"name":"Read","arguments":"{\\"file_path\\":\\"x\\"}"}}]}}]}""");
    assertThat(message.get("stop_reason").asString()).isEqualTo("refusal");
    assertThat(message.path("content").get(0).path("type").asString()).isEqualTo("tool_use");
  }

  @Test
  void toolCallsFinishedWithStopStillEndInToolUse() {
    JsonNode message =
        response(
            """
            {"id":"x","model":"m","choices":[{"index":0,"finish_reason":"stop","message":{
              "role":"assistant","tool_calls":[{"id":"c","type":"function",
              "function":{"name":"f","arguments":"{}"}}]}}]}""");
    assertThat(message.get("stop_reason").asString()).isEqualTo("tool_use");
  }

  @Test
  void theDeprecatedFunctionCallGetsAnInventedId() {
    JsonNode block =
        response(
                """
                {"id":"x","model":"m","choices":[{"index":0,"finish_reason":"function_call",
                  "message":{"role":"assistant","content":null,
                   "function_call":{"name":"f","arguments":"{\\"a\\":1}"}}}]}""")
            .get("content")
            .get(0);
    assertThat(block.get("id").asString()).startsWith("toolu_").hasSizeGreaterThan(10);
    assertThat(block.get("input")).isEqualTo(json("{\"a\":1}"));
  }

  @Test
  void reasoningContentIsNotSentAndARefusalIsShownAsText() {
    JsonNode reasoning =
        response(
            """
            {"id":"c","model":"deepseek-reasoner","choices":[{"index":0,"finish_reason":"stop",
              "message":{"role":"assistant","content":"42","reasoning_content":"Let me think..."}}],
             "usage":{"prompt_tokens":10,"completion_tokens":90,"prompt_cache_hit_tokens":8,
                      "prompt_cache_miss_tokens":2}}""");
    assertThat(reasoning.get("content")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"42\"}]"));
    assertThat(reasoning.get("usage"))
        .isEqualTo(
            json(
                """
                {"input_tokens":2,"cache_creation_input_tokens":0,"cache_read_input_tokens":8,
                 "output_tokens":90}"""));
    JsonNode refusal =
        response(
            """
            {"id":"c","model":"m","choices":[{"index":0,"finish_reason":"stop",
              "message":{"role":"assistant","content":null,"refusal":"I can't help with that."}}]}""");
    assertThat(refusal.get("content"))
        .isEqualTo(json("[{\"type\":\"text\",\"text\":\"I can't help with that.\"}]"));
  }

  @Test
  void anAnswerWithoutTextOrCallsHasEmptyContentAndZeroUsage() {
    JsonNode message =
        response(
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
    assertThat(message.get("content")).isEmpty();
    assertThat(message.get("id").asString()).startsWith("msg_").hasSizeGreaterThan(10);
    assertThat(message.get("usage").get("input_tokens").asInt()).isZero();
  }

  @Test
  void aBodyThatIsNoCompletionIsAnIllegalArgument() {
    for (String body : new String[] {"", "<html>", "{\"choices\":[]}", "{\"error\":{}}"}) {
      assertThatThrownBy(
              () -> MessagesViaChat.INSTANCE.response(body.getBytes(StandardCharsets.UTF_8)))
          .as(body)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid_request_error",
    "401, authentication_error",
    "402, billing_error",
    "403, permission_error",
    "404, not_found_error",
    "409, invalid_request_error",
    "413, request_too_large",
    "422, invalid_request_error",
    "429, rate_limit_error",
    "500, api_error",
    "502, api_error",
    "503, api_error",
    "504, timeout_error",
    "529, overloaded_error",
  })
  void anOpenAiErrorKeepsItsMessageAndIsTypedByStatus(int status, String type) {
    assertThat(
            error(
                status,
                """
                {"error":{"message":"Rate limit reached for gpt-4o","type":"x","param":null,"code":"y"}}"""))
        .isEqualTo(
            json(
                """
                {"type":"error","error":{"type":"%s","message":"Rate limit reached for gpt-4o"}}"""
                    .formatted(type)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"error\":\"model 'x' not found\"}                                  | model 'x' not found",
        "{\"detail\":\"Not authenticated\"}                                   | Not authenticated",
        "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"bad\"}]}                   | [{\"loc\":[\"body\"],\"msg\":\"bad\"}]",
        "{\"object\":\"error\",\"message\":\"The model `x` does not exist.\",\"code\":404} | The model `x` does not exist.",
        "Bad Gateway                                                          | Bad Gateway",
        "{\"error\":{\"message\":\"claude is not a valid model ID\",\"code\":400}} | claude is not a valid model ID",
        "{not json                                                            | {not json",
      })
  void anyErrorBodyGivesTheUpstreamsMessage(String body, String message) {
    assertThat(error(404, body).get("error").get("message").asString()).isEqualTo(message);
  }

  @Test
  void anEmptyErrorBodySaysTheStatus() {
    assertThat(error(502, "").get("error").get("message").asString())
        .isEqualTo("the provider answered HTTP 502 without a message");
  }

  @Test
  void aContextOverflowIsWordedAsAnthropicsPromptIsTooLong() {
    String openAi =
        """
        {"error":{"message":"This model's maximum context length is 8192 tokens. However, your \
        messages resulted in 8227 tokens.","type":"invalid_request_error","param":"messages",\
        "code":"context_length_exceeded"}}""";
    assertThat(error(400, openAi).get("error").get("message").asString())
        .isEqualTo(
            "prompt is too long: This model's maximum context length is 8192 tokens. However,"
                + " your messages resulted in 8227 tokens.");
  }

  @Test
  void aHugeErrorPageIsCut() {
    String page = "<html>" + "x".repeat(10_000) + "</html>";
    assertThat(error(503, page).get("error").get("message").asString())
        .hasSize(MessagesViaChat.MAX_ERROR_MESSAGE_CHARS + 1)
        .endsWith("…");
  }
}
