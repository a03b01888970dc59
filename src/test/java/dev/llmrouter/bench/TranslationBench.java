package dev.llmrouter.bench;

import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.SseFraming;
import dev.llmrouter.wire.StreamTranslator;
import dev.llmrouter.wire.Translator;
import java.nio.charset.StandardCharsets;

/**
 * The cross-family cases of {@link HotPathBench}: request and answer translation of a 2 KiB
 * conversation with tools, and one stream event, in both directions (issue 14: at most 30 µs per
 * request and 5 µs per event at p50).
 */
final class TranslationBench {

  private TranslationBench() {}

  static void run(String filter) throws Throwable {
    Translator toClaude = Translator.between(Api.OPENAI, Api.ANTHROPIC);
    Translator toChat = Translator.between(Api.ANTHROPIC, Api.OPENAI);
    byte[] chat = utf8(chatConversation());
    byte[] messages = utf8(messagesConversation());
    byte[] message = utf8(MESSAGE_ANSWER);
    byte[] completion = utf8(CHAT_ANSWER);
    HotPathBench.run(
        filter,
        "translate request OpenAI->Anthropic (" + chat.length + " B)",
        () -> toClaude.request(chat, "claude-sonnet-4-5", 4096).length);
    HotPathBench.run(
        filter,
        "translate request Anthropic->OpenAI (" + messages.length + " B)",
        () -> toChat.request(messages, "deepseek-chat", 4096).length);
    HotPathBench.run(
        filter, "translate answer Anthropic->OpenAI", () -> toClaude.response(message).length);
    HotPathBench.run(
        filter, "translate answer OpenAI->Anthropic", () -> toChat.response(completion).length);
    SseFraming.Event textDelta =
        event(
            "content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\" the weather today\"}}");
    StreamTranslator claudeStream = primed(toClaude.stream(true), MESSAGE_START);
    HotPathBench.run(
        filter,
        "translate stream event Anthropic->OpenAI",
        () -> claudeStream.translate(textDelta).size());
    SseFraming.Event chunk =
        event(
            null,
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" the"
                + " weather today\"},\"finish_reason\":null}]}");
    StreamTranslator chatStream = primed(toChat.stream(), chunk);
    HotPathBench.run(
        filter,
        "translate stream event OpenAI->Anthropic",
        () -> chatStream.translate(chunk).size());
  }

  private static final SseFraming.Event MESSAGE_START =
      event(
          "message_start",
          "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
              + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
              + "\"stop_reason\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}");

  private static StreamTranslator primed(StreamTranslator t, SseFraming.Event first) {
    t.translate(first);
    if (!"message_start".equals(first.name())) {
      return t;
    }
    t.translate(
        event(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    return t;
  }

  private static SseFraming.Event event(String name, String data) {
    return new SseFraming.Event(SseFraming.event(name, data), name, data);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final String TOOLS =
      "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather"
          + " for a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
          + "{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";

  /** About 2 KiB: a system prompt, six turns, a tool call and its result. */
  private static String chatConversation() {
    StringBuilder b =
        new StringBuilder("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":")
            .append("\"You are a careful assistant.\"}");
    for (int i = 0; i < 6; i++) {
      b.append(",{\"role\":\"")
          .append(i % 2 == 0 ? "user" : "assistant")
          .append("\",\"content\":\"")
          .append("Turn ")
          .append(i)
          .append(": a sentence about the weather and the plans for the day. ".repeat(3))
          .append("\"}");
    }
    b.append(
            ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\","
                + "\"tool_call_id\":\"call_1\",\"content\":\"18 C and sunny\"}],\"tools\":")
        .append(TOOLS)
        .append(",\"max_tokens\":512}");
    return b.toString();
  }

  private static String messagesConversation() {
    StringBuilder b =
        new StringBuilder(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":512,\"system\":\"You are a careful"
                + " assistant.\",\"messages\":[");
    for (int i = 0; i < 6; i++) {
      b.append(i > 0 ? "," : "")
          .append("{\"role\":\"")
          .append(i % 2 == 0 ? "user" : "assistant")
          .append("\",\"content\":\"Turn ")
          .append(i)
          .append(": a sentence about the weather and the plans for the day. ".repeat(3))
          .append("\"}");
    }
    b.append(
        ",{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\","
            + "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},{\"role\":\"user\","
            + "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
            + "\"content\":\"18 C and sunny\"}]}],\"tools\":[{\"name\":\"get_weather\","
            + "\"description\":\"Weather for a city\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]}");
    return b.toString();
  }

  private static final String MESSAGE_ANSWER =
      "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
          + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"It is 18 C and"
          + " sunny in Paris.\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":420,\"output_tokens\":12}}";

  private static final String CHAT_ANSWER =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":"
          + "\"deepseek-chat\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"It is 18 C and sunny in Paris.\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":420,\"completion_tokens\":12,\"total_tokens\":432}}";
}
