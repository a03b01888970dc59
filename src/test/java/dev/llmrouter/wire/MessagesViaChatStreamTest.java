package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Recorded OpenAI chunk sequences (PROTOCOLS.md 1.3, 5.4), fed one at a time: each chunk's
 * Anthropic events are checked as they come out, then the whole stream is replayed through {@link
 * AnthropicStreamCheck} as the SDKs' accumulators would.
 */
class MessagesViaChatStreamTest {

  /** Up to the chunk's {@code choices}: the fields every recorded chunk repeats. */
  static final String HEAD =
      "{\"id\":\"chatcmpl-X1\",\"object\":\"chat.completion.chunk\",\"created\":1727346178,"
          + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_1\",";

  static String delta(String delta) {
    return HEAD + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
  }

  static String finish(String reason) {
    return HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
  }

  static String call(int index, String arguments) {
    return delta(
        "{\"tool_calls\":[{\"index\":"
            + index
            + ",\"function\":{\"arguments\":"
            + Json.MAPPER.writeValueAsString(arguments)
            + "}}]}");
  }

  static String callStart(int index, String id, String name) {
    return delta(
        "{\"tool_calls\":[{\"index\":%d,\"id\":\"%s\",\"type\":\"function\",\"function\":{\"name\":\"%s\",\"arguments\":\"\"}}]}"
            .formatted(index, id, name));
  }

  static final String ROLE = delta("{\"role\":\"assistant\",\"content\":\"\"}");
  static final String USAGE =
      HEAD
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":149,\"completion_tokens\":60,"
          + "\"total_tokens\":209,\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";
  static final String DONE = "[DONE]";

  static final String MESSAGE_START =
      "message_start {\"type\":\"message_start\",\"message\":{\"id\":\"msg_X1\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"gpt-4o-2024-08-06\",\"content\":[],"
          + "\"stop_reason\":null,\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}";

  static String textStart(int index) {
    return "content_block_start {\"type\":\"content_block_start\",\"index\":%d,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
        .formatted(index);
  }

  static String textDelta(int index, String text) {
    return ("content_block_delta {\"type\":\"content_block_delta\",\"index\":%d,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":%s}}")
        .formatted(index, Json.MAPPER.writeValueAsString(text));
  }

  static String toolStart(int index, String id, String name) {
    return ("content_block_start {\"type\":\"content_block_start\",\"index\":%d,"
            + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"%s\",\"name\":\"%s\",\"input\":{}}}")
        .formatted(index, id, name);
  }

  static String jsonDelta(int index, String json) {
    return ("content_block_delta {\"type\":\"content_block_delta\",\"index\":%d,"
            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":%s}}")
        .formatted(index, Json.MAPPER.writeValueAsString(json));
  }

  static String stop(int index) {
    return "content_block_stop {\"type\":\"content_block_stop\",\"index\":" + index + "}";
  }

  static String messageDelta(String stopReason, int input, int cacheRead, int output) {
    return ("message_delta {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"%s\",\"stop_sequence\":null},"
            + "\"usage\":{\"input_tokens\":%d,\"cache_creation_input_tokens\":0,"
            + "\"cache_read_input_tokens\":%d,\"output_tokens\":%d}}")
        .formatted(stopReason, input, cacheRead, output);
  }

  static final String MESSAGE_STOP = "message_stop {\"type\":\"message_stop\"}";

  /** Feeds the chunks in order through one translator, collecting every event it gives. */
  static final class Feed {
    final StreamTranslator translator = MessagesViaChat.INSTANCE.stream();
    final List<SseFraming.Event> all = new ArrayList<>();

    /** Feeds one chunk's data and checks the events it gave, "name data-json" each. */
    Feed gives(String data, String... expected) {
      SseFraming.Event in = new SseFraming.Event(SseFraming.event(null, data), null, data);
      List<SseFraming.Event> out = translator.translate(in);
      assertThat(out).as("events for %s", data).hasSize(expected.length);
      for (int i = 0; i < expected.length; i++) {
        int space = expected[i].indexOf(' ');
        assertThat(out.get(i).name())
            .as("event %d for %s", i, data)
            .isEqualTo(expected[i].substring(0, space));
        JsonNode actual = Json.MAPPER.readTree(out.get(i).data());
        assertThat(actual)
            .as("event %d for %s", i, data)
            .isEqualTo(Json.MAPPER.readTree(expected[i].substring(space + 1)));
      }
      all.addAll(out);
      return this;
    }

    JsonNode finalMessage() {
      return AnthropicStreamCheck.finalMessage(all);
    }
  }

  @Test
  void aTextStreamBecomesOneTextBlockEventByEvent() {
    Feed feed =
        new Feed()
            .gives(ROLE, MESSAGE_START)
            .gives(delta("{\"content\":\"Hi\"}"), textStart(0), textDelta(0, "Hi"))
            .gives(delta("{\"content\":\" there\"}"), textDelta(0, " there"))
            .gives(finish("stop"))
            .gives(USAGE)
            .gives(DONE, stop(0), messageDelta("end_turn", 149, 0, 60), MESSAGE_STOP);
    JsonNode message = feed.finalMessage();
    assertThat(message.get("content"))
        .isEqualTo(tree("[{\"type\":\"text\",\"text\":\"Hi there\"}]"));
    assertThat(message.get("usage").get("input_tokens").asInt()).isEqualTo(149);
    assertThat(message.get("usage").get("output_tokens").asInt()).isEqualTo(60);
  }

  @Test
  void textThenTwoParallelToolCallsBecomeThreeBlocksEachStoppedBeforeTheNext() {
    Feed feed =
        new Feed()
            .gives(delta("{\"role\":\"assistant\",\"content\":null}"), MESSAGE_START)
            .gives(
                delta("{\"content\":\"Looking it up.\"}"),
                textStart(0),
                textDelta(0, "Looking it up."))
            .gives(callStart(0, "call_A", "get_time"), stop(0), toolStart(1, "call_A", "get_time"))
            .gives(call(0, "{\"zone\":"), jsonDelta(1, "{\"zone\":"))
            .gives(call(0, "\"UTC\"}"), jsonDelta(1, "\"UTC\"}"))
            .gives(callStart(1, "call_B", "get_date"), stop(1), toolStart(2, "call_B", "get_date"))
            .gives(call(1, "{\"fo"), jsonDelta(2, "{\"fo"))
            .gives(call(1, "rmat\":\"iso\"}"), jsonDelta(2, "rmat\":\"iso\"}"))
            .gives(finish("tool_calls"))
            .gives(USAGE)
            .gives(DONE, stop(2), messageDelta("tool_use", 149, 0, 60), MESSAGE_STOP);
    assertThat(feed.finalMessage().get("content"))
        .isEqualTo(
            tree(
                """
                [{"type":"text","text":"Looking it up."},
                 {"type":"tool_use","id":"call_A","name":"get_time","input":{"zone":"UTC"}},
                 {"type":"tool_use","id":"call_B","name":"get_date","input":{"format":"iso"}}]"""));
  }

  @Test
  void argumentsInTwentyFragmentsBecomeTwentyInputJsonDeltas() {
    String arguments =
        "{\"command\":\"ls -la /tmp && echo done\",\"description\":\"List the files\"}";
    Feed feed = new Feed().gives(ROLE, MESSAGE_START);
    feed.gives(callStart(0, "call_1", "Bash"), toolStart(0, "call_1", "Bash"));
    int fragments = 20;
    for (int i = 0; i < fragments; i++) {
      String piece =
          arguments.substring(
              i * arguments.length() / fragments, (i + 1) * arguments.length() / fragments);
      feed.gives(call(0, piece), jsonDelta(0, piece));
    }
    feed.gives(finish("tool_calls"))
        .gives(DONE, stop(0), messageDelta("tool_use", 0, 0, 0), MESSAGE_STOP);
    assertThat(feed.finalMessage().get("content").get(0).get("input")).isEqualTo(tree(arguments));
  }

  @Test
  void theUsageChunkGoesWholeIntoTheOneMessageDeltaLessTheCachedTokens() {
    String usage =
        HEAD
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":2000,\"completion_tokens\":7,"
            + "\"total_tokens\":2007,\"prompt_tokens_details\":{\"cached_tokens\":1536}}}";
    JsonNode message =
        new Feed()
            .gives(ROLE, MESSAGE_START)
            .gives(delta("{\"content\":\"ok\"}"), textStart(0), textDelta(0, "ok"))
            .gives(finish("length"))
            .gives(usage)
            .gives(DONE, stop(0), messageDelta("max_tokens", 464, 1536, 7), MESSAGE_STOP)
            .finalMessage();
    assertThat(message.get("stop_reason").asString()).isEqualTo("max_tokens");
    assertThat(message.get("usage").get("cache_read_input_tokens").asInt()).isEqualTo(1536);
  }

  @Test
  void anErrorChunkAfterTheThirdEventBecomesOneErrorEventAndNothingFollows() {
    String error =
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
            + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
    Feed feed =
        new Feed()
            .gives(ROLE, MESSAGE_START)
            .gives(delta("{\"content\":\"Hel\"}"), textStart(0), textDelta(0, "Hel"))
            .gives(
                error,
                "error {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                    + "\"message\":\"Rate limit reached\"}}")
            .gives(delta("{\"content\":\"lo\"}"))
            .gives(finish("stop"))
            .gives(DONE);
    SseFraming.Event last = feed.all.getLast();
    assertThat(Api.ANTHROPIC.isErrorEvent(last)).isTrue();
    assertThat(Api.ANTHROPIC.errorEventStatus(last)).isEqualTo(429);
    assertThat(new String(last.raw(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("event: error\ndata: {\"type\":\"error\"")
        .endsWith("}\n\n");
  }

  @Test
  void aServerErrorChunkIsAnApiError() {
    new Feed()
        .gives(
            "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}",
            "error {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"The server had an error\"}}")
        .gives(DONE);
  }

  @Test
  void reasoningContentDeltasAreDropped() {
    Feed feed =
        new Feed()
            .gives(
                delta("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}"),
                MESSAGE_START)
            .gives(delta("{\"content\":null,\"reasoning_content\":\"Let me\"}"))
            .gives(delta("{\"content\":null,\"reasoning_content\":\" think.\"}"))
            .gives(
                delta("{\"content\":\"42\",\"reasoning_content\":null}"),
                textStart(0),
                textDelta(0, "42"))
            .gives(finish("stop"))
            .gives(DONE, stop(0), messageDelta("end_turn", 0, 0, 0), MESSAGE_STOP);
    assertThat(feed.finalMessage().get("content"))
        .isEqualTo(tree("[{\"type\":\"text\",\"text\":\"42\"}]"));
  }

  private static JsonNode tree(String json) {
    return Json.MAPPER.readTree(json);
  }
}
