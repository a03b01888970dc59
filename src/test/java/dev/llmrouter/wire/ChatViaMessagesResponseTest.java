package dev.llmrouter.wire;

import static dev.llmrouter.wire.ChatViaMessagesTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The answer and error directions: a Messages answer or error, before and after (5.2, 5.6). */
class ChatViaMessagesResponseTest {

  static final long NOW = 1_760_000_000L;
  static final InstantSource T_CLOCK = InstantSource.fixed(Instant.ofEpochSecond(NOW));
  static final ChatViaMessages T = new ChatViaMessages(T_CLOCK);

  private static JsonNode answer(String body) {
    return json(T.response(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode error(int status, String body) {
    return json(T.error(status, body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aTextAnswerIsAChatCompletion() {
    assertThat(
            answer(
                """
                {"id":"msg_01A","type":"message","role":"assistant","model":"claude-x-20260101",
                 "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",
                 "stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":6,
                 "cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                 "service_tier":"standard"}}"""))
        .isEqualTo(
            json(
                """
                {"id":"chatcmpl-msg_01A","object":"chat.completion","created":1760000000,
                 "model":"claude-x-20260101",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi","refusal":null},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18,
                          "prompt_tokens_details":{"cached_tokens":0}}}"""));
  }

  @Test
  void textBlocksJoinAndThinkingIsNotPassedOn() {
    JsonNode message =
        answer(
                """
                {"id":"msg_1","model":"m","content":[
                  {"type":"thinking","thinking":"Let me see.","signature":"c2ln"},
                  {"type":"redacted_thinking","data":"eHh4"},
                  {"type":"text","text":"The answer "},{"type":"text","text":"is 4."}],
                 "stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}}""")
            .at("/choices/0/message");
    assertThat(message)
        .isEqualTo(
            json("{\"role\":\"assistant\",\"content\":\"The answer is 4.\",\"refusal\":null}"));
  }

  @Test
  void parallelToolUsesAreToolCallsWithTheirIdsKept() {
    JsonNode out =
        answer(
            """
            {"id":"msg_1","model":"m","content":[
              {"type":"text","text":"Looking it up."},
              {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{"zone":"UTC"}},
              {"type":"tool_use","id":"toolu_01C","name":"get_date","input":{}}],
             "stop_reason":"tool_use","usage":{"input_tokens":310,"output_tokens":52}}""");
    assertThat(out.at("/choices/0"))
        .isEqualTo(
            json(
                """
                {"index":0,"message":{"role":"assistant","content":"Looking it up.","refusal":null,
                  "tool_calls":[
                    {"id":"toolu_01B","type":"function","function":{"name":"get_time","arguments":"{\\"zone\\":\\"UTC\\"}"}},
                    {"id":"toolu_01C","type":"function","function":{"name":"get_date","arguments":"{}"}}]},
                 "logprobs":null,"finish_reason":"tool_calls"}"""));
  }

  @Test
  void anAnswerOfOnlyToolUseHasNullContent() {
    JsonNode out =
        answer(
            """
            {"id":"msg_1","model":"m","content":[
              {"type":"tool_use","id":"toolu_1","name":"f","input":{}}],
             "stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}""");
    assertThat(out.at("/choices/0/message/content").isNull()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "end_turn, stop",
    "stop_sequence, stop",
    "pause_turn, stop",
    "max_tokens, length",
    "model_context_window_exceeded, length",
    "tool_use, tool_calls",
    "refusal, content_filter",
    "some_future_reason, stop"
  })
  void everyStopReasonHasAFinishReason(String stopReason, String finishReason) {
    JsonNode out =
        answer(
            """
            {"id":"msg_1","model":"m","content":[{"type":"text","text":"x"}],
             "stop_reason":"%s","usage":{"input_tokens":1,"output_tokens":1}}"""
                .formatted(stopReason));
    assertThat(out.at("/choices/0/finish_reason").stringValue()).isEqualTo(finishReason);
  }

  @Test
  void promptTokensCountCacheReadsAndWritesAsOpenAiDoes() {
    JsonNode out =
        answer(
            """
            {"id":"msg_1","model":"m","content":[],"stop_reason":"end_turn",
             "usage":{"input_tokens":10,"cache_creation_input_tokens":200,
                      "cache_read_input_tokens":3000,"output_tokens":40}}""");
    assertThat(out.get("usage"))
        .isEqualTo(
            json(
                """
                {"prompt_tokens":3210,"completion_tokens":40,"total_tokens":3250,
                 "prompt_tokens_details":{"cached_tokens":3000,"cache_write_tokens":200}}"""));
    assertThat(out.at("/choices/0/message/content").isNull()).isTrue();
  }

  @Test
  void anAnswerThatIsNoJsonObjectIsAnIllegalArgument() {
    assertThatThrownBy(() -> T.response("<html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> T.response("[]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          400 | invalid_request_error | messages: text content blocks must be non-empty | invalid_request_error |
          400 | invalid_request_error | prompt is too long: 208310 tokens > 200000 maximum | invalid_request_error | context_length_exceeded
          401 | authentication_error  | invalid x-api-key                | invalid_request_error | invalid_api_key
          402 | billing_error         | Your credit balance is too low   | insufficient_quota    | insufficient_quota
          403 | permission_error      | Your API key does not have permission | invalid_request_error |
          404 | not_found_error       | model: claude-nope               | invalid_request_error | model_not_found
          404 | not_found_error       | Not found                        | invalid_request_error |
          413 | request_too_large     | Request exceeds the maximum allowed number of bytes. | invalid_request_error | request_too_large
          429 | rate_limit_error      | Number of request tokens has exceeded your per-minute rate limit | rate_limit_exceeded | rate_limit_exceeded
          500 | api_error             | Internal server error            | server_error          |
          504 | timeout_error         | Request timed out                | server_error          |
          529 | overloaded_error      | Overloaded                       | server_error          |
          """)
  void anthropicErrorsBecomeOpenAiErrorsWithTheProvidersMessage(
      int status, String anthropicType, String message, String type, String code) {
    JsonNode out =
        error(
            status,
            """
            {"type":"error","error":{"type":"%s","message":"%s"},"request_id":"req_1"}"""
                .formatted(anthropicType, message));
    assertThat(out)
        .isEqualTo(
            json(
                """
                {"error":{"message":"%s","type":"%s","param":null,"code":%s}}"""
                    .formatted(message, type, code == null ? "null" : "\"" + code + "\"")));
  }

  @Test
  void bodiesThatAreNoAnthropicErrorStillGiveAMessage() {
    assertThat(error(413, "<html><body>413 Request Entity Too Large</body></html>\n"))
        .isEqualTo(
            json(
                """
                {"error":{"message":"<html><body>413 Request Entity Too Large</body></html>",
                 "type":"invalid_request_error","param":null,"code":"request_too_large"}}"""));
    assertThat(error(502, "").at("/error/message").stringValue())
        .isEqualTo("the provider answered HTTP 502");
    assertThat(error(400, "{\"error\":{\"message\":\"bad\",\"type\":\"x\"}}").at("/error/message"))
        .isEqualTo(json("\"bad\""));
    assertThat(error(404, "{\"error\":\"model 'x' not found\"}").at("/error/message"))
        .isEqualTo(json("\"model 'x' not found\""));
    assertThat(error(500, "x".repeat(5000)).at("/error/message").stringValue()).hasSize(1001);
  }
}
