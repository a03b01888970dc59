package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A request as Claude Code sends it (cached system blocks, its custom tools, thinking, context
 * management, a role:system entry among the messages, tool history) goes to an OpenAI provider with
 * everything it can carry and nothing it would reject.
 */
class MessagesViaChatClaudeCodeTest {

  static final String CLAUDE_CODE_REQUEST =
      """
      {"model":"claude-sonnet-4-5-20250929","max_tokens":32000,"stream":true,"temperature":1,
       "system":[
        {"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude.",
         "cache_control":{"type":"ephemeral"}},
        {"type":"text","text":"You are an interactive CLI tool that helps users with software engineering tasks.",
         "cache_control":{"type":"ephemeral"}}],
       "messages":[
        {"role":"user","content":[
          {"type":"text","text":"<system-reminder>\\nAs you answer, use this context.\\n</system-reminder>"},
          {"type":"text","text":"list the files in src","cache_control":{"type":"ephemeral"}}]},
        {"role":"assistant","content":[
          {"type":"thinking","thinking":"The user wants a listing.","signature":"EqQBCkYIBxgCKkDx"},
          {"type":"text","text":"I'll list them."},
          {"type":"tool_use","id":"toolu_01XyZ","name":"Bash",
           "input":{"command":"ls src","description":"List files in src"}}]},
        {"role":"user","content":[
          {"type":"tool_result","tool_use_id":"toolu_01XyZ","content":"main\\ntest","is_error":false,
           "cache_control":{"type":"ephemeral"}}]},
        {"role":"system","content":"<system-reminder>The task list is empty.</system-reminder>"},
        {"role":"assistant","content":[{"type":"text","text":"src has main and test."}]},
        {"role":"user","content":"thanks, now read the README"}],
       "tools":[
        {"name":"Bash","description":"Executes a given bash command.",
         "input_schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
          "properties":{"command":{"type":"string","description":"The command to execute"},
                        "timeout":{"type":"number"},"description":{"type":"string"}},
          "required":["command"],"additionalProperties":false}},
        {"name":"Read","description":"Reads a file from the local filesystem.",
         "input_schema":{"type":"object","properties":{"file_path":{"type":"string"}},
          "required":["file_path"]},"cache_control":{"type":"ephemeral"}},
        {"name":"mcp__github__search_code","description":"Search code on GitHub.",
         "input_schema":{"type":"object","properties":{"q":{"type":"string"}}},
         "defer_loading":true}],
       "metadata":{"user_id":"user_2f5e_account_9c1d_session_4f1c7a"},
       "thinking":{"type":"enabled","budget_tokens":31999},
       "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
       "output_config":{"effort":"high"}}""";

  @Test
  void claudeCodesRequestTranslatesCompletely() throws Exception {
    byte[] body =
        MessagesViaChat.INSTANCE.request(
            CLAUDE_CODE_REQUEST.getBytes(StandardCharsets.UTF_8), "deepseek-chat", 0);
    String text = new String(body, StandardCharsets.UTF_8);
    for (String gone :
        new String[] {
          "cache_control", "thinking", "signature", "defer_loading", "context_management",
          "output_config", "metadata", "claude-sonnet", "is_error", "input_schema"
        }) {
      assertThat(text).as("no " + gone).doesNotContain(gone);
    }
    JsonNode out = Json.MAPPER.readTree(body);
    assertThat(out.get("model").asString()).isEqualTo("deepseek-chat");
    assertThat(out.get("max_tokens").asInt()).isEqualTo(32000);
    assertThat(out.get("temperature").asInt()).isEqualTo(1);
    assertThat(out.get("user").asString()).isEqualTo("user_2f5e_account_9c1d_session_4f1c7a");
    assertThat(out.get("stream_options").get("include_usage").asBoolean()).isTrue();

    JsonNode messages = out.get("messages");
    assertThat(messages.findValuesAsString("role"))
        .containsExactly("system", "user", "assistant", "tool", "assistant", "user");
    assertThat(messages.get(0).get("content").asString())
        .isEqualTo(
            "You are Claude Code, Anthropic's official CLI for Claude.\n\n"
                + "You are an interactive CLI tool that helps users with software engineering"
                + " tasks.\n\n<system-reminder>The task list is empty.</system-reminder>");
    assertThat(messages.get(1).get("content").asString())
        .isEqualTo(
            "<system-reminder>\nAs you answer, use this context.\n</system-reminder>\n\n"
                + "list the files in src");
    JsonNode call = messages.get(2).get("tool_calls").get(0);
    assertThat(call.get("id").asString()).isEqualTo("toolu_01XyZ");
    assertThat(Json.MAPPER.readTree(call.get("function").get("arguments").asString()))
        .isEqualTo(
            Json.MAPPER.readTree("{\"command\":\"ls src\",\"description\":\"List files in src\"}"));
    assertThat(messages.get(3).get("tool_call_id").asString()).isEqualTo("toolu_01XyZ");
    assertThat(messages.get(3).get("content").asString()).isEqualTo("main\ntest");

    JsonNode tools = out.get("tools");
    assertThat(tools.findValuesAsString("name"))
        .containsExactly("Bash", "Read", "mcp__github__search_code");
    assertThat(tools.get(0).get("function").get("parameters").get("required").get(0).asString())
        .isEqualTo("command");
  }

  @Test
  void theSameRequestForAReasoningModelSendsMaxCompletionTokens() throws Exception {
    JsonNode out =
        Json.MAPPER.readTree(
            MessagesViaChat.INSTANCE.request(
                CLAUDE_CODE_REQUEST.getBytes(StandardCharsets.UTF_8), "gpt-5", 0));
    assertThat(out.get("max_completion_tokens").asInt()).isEqualTo(32000);
    assertThat(out.has("max_tokens")).isFalse();
    // A provider whose config sets max_tokens (DeepSeek: 8192) gets at most that.
    JsonNode capped =
        Json.MAPPER.readTree(
            MessagesViaChat.INSTANCE.request(
                CLAUDE_CODE_REQUEST.getBytes(StandardCharsets.UTF_8), "deepseek-chat", 8192));
    assertThat(capped.get("max_tokens").asInt()).isEqualTo(8192);
  }

  @Test
  void claudeCodesLongUserIdGoesToOpenAiAsItsSha256WhichFitsTheLimit() throws Exception {
    // Claude Code 2.x: a JSON string of about 150 characters; OpenAI takes at most 64 (400
    // "Invalid 'user': string too long"), and a 400 is no reason to fall back.
    String id =
        "{\"device_id\":\""
            + "d".repeat(64)
            + "\",\"account_uuid\":\"9c1d2e3f-0000-4000-8000-"
            + "000000000001\",\"session_id\":\"4f1c7a00-0000-4000-8000-000000000002\"}";
    String body =
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"metadata\":{\"user_id\":"
            + Json.MAPPER.writeValueAsString(id)
            + "},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    JsonNode first =
        Json.MAPPER.readTree(
            MessagesViaChat.INSTANCE.request(body.getBytes(StandardCharsets.UTF_8), "gpt-4o", 8));
    JsonNode again =
        Json.MAPPER.readTree(
            MessagesViaChat.INSTANCE.request(body.getBytes(StandardCharsets.UTF_8), "gpt-4o", 8));

    assertThat(id.length()).isGreaterThan(64);
    assertThat(first.get("user").asString()).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(again.get("user")).isEqualTo(first.get("user")); // one stable id per user
  }

  @Test
  void outputConfigIsDroppedFormatAndAll() throws Exception {
    // Claude Code sends output_config ({effort}); the fields that steer Claude's own features are
    // dropped toward an OpenAI provider, a format with them, and the beta's output_format too.
    for (String field :
        new String[] {
          "\"output_config\":{\"effort\":\"high\"}",
          "\"output_config\":{\"effort\":\"high\",\"format\":{\"type\":\"json_schema\","
              + "\"schema\":{\"type\":\"object\"}}}",
          "\"output_format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}"
        }) {
      JsonNode out =
          MessagesViaChatRequestTest.translate(
              "{\"model\":\"m\",\"max_tokens\":9,\"messages\":[]," + field + "}");
      assertThat(out.has("response_format")).isFalse();
      assertThat(out.has("output_config")).isFalse();
      assertThat(out.has("output_format")).isFalse();
    }
  }
}
