package dev.llmrouter.wire;

import static dev.llmrouter.wire.ChatViaMessagesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Recorded Anthropic event sequences (PROTOCOLS.md 2.3, 5.3) fed one event at a time; what each
 * event gives the client, chunk by chunk.
 */
class ChatViaMessagesStreamTest {

  static final String ROLE = "{\"role\":\"assistant\",\"content\":null}";

  static final String START =
      """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_01A","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":310,"output_tokens":1}}}

      """;

  static List<SseFraming.Event> events(String recorded) {
    SseFraming.Reader reader =
        new SseFraming.Reader(new ByteArrayInputStream(recorded.getBytes(StandardCharsets.UTF_8)));
    List<SseFraming.Event> events = new ArrayList<>();
    try {
      for (SseFraming.Event e = reader.next(); e != null; e = reader.next()) {
        events.add(e);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return events;
  }

  /** What each provider event gave, in order. */
  static List<List<SseFraming.Event>> feed(StreamTranslator t, List<SseFraming.Event> events) {
    List<List<SseFraming.Event>> out = new ArrayList<>();
    for (SseFraming.Event e : events) {
      out.add(t.translate(e));
    }
    return out;
  }

  static List<List<SseFraming.Event>> feed(String recorded) {
    return feed(
        new ChatViaMessagesStream(ChatViaMessagesResponseTest.T_CLOCK, true), events(recorded));
  }

  /** A chunk of the recorded stream: its common fields, then {@code rest}. */
  static String chunk(String rest) {
    return "{\"id\":\"chatcmpl-msg_01A\",\"object\":\"chat.completion.chunk\",\"created\":"
        + ChatViaMessagesResponseTest.NOW
        + ",\"model\":\"claude-x\","
        + rest
        + "}";
  }

  static String delta(String delta) {
    return chunk(
        "\"choices\":[{\"index\":0,\"delta\":"
            + delta
            + ",\"logprobs\":null,\"finish_reason\":null}]");
  }

  static String finish(String reason) {
    return chunk(
        "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\""
            + reason
            + "\"}]");
  }

  static String usage(String usage) {
    return chunk("\"choices\":[],\"usage\":" + usage);
  }

  /**
   * Each provider event's chunks, one expectation per event: none, or the chunks' data in order
   * (JSON compared as trees, {@code [DONE]} as text). Every chunk is framed as OpenAI's are: a
   * {@code data:} line, no {@code event:} line.
   */
  static void expect(List<List<SseFraming.Event>> actual, List<List<String>> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      List<SseFraming.Event> got = actual.get(i);
      List<String> want = expected.get(i);
      assertThat(got).as("chunks for provider event %d", i).hasSameSizeAs(want);
      for (int k = 0; k < got.size(); k++) {
        SseFraming.Event e = got.get(k);
        assertThat(e.name()).isNull();
        assertThat(new String(e.raw(), StandardCharsets.UTF_8))
            .isEqualTo("data: " + e.data() + "\n\n");
        if (want.get(k).equals("[DONE]")) {
          assertThat(e.data()).isEqualTo("[DONE]");
        } else {
          assertThat(json(e.data())).as("event %d chunk %d", i, k).isEqualTo(json(want.get(k)));
        }
      }
    }
  }

  @Test
  void textOnly() {
    List<List<SseFraming.Event>> out =
        feed(
            START
                + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: ping
                data: {"type":"ping"}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there \\"you\\""}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

                event: message_stop
                data: {"type":"message_stop"}

                """);
    expect(
        out,
        List.of(
            List.of(delta(ROLE)),
            List.of(),
            List.of(),
            List.of(delta("{\"content\":\"Hi\"}")),
            List.of(delta("{\"content\":\" there \\\"you\\\"\"}")),
            List.of(),
            List.of(finish("stop")),
            List.of(
                usage(
                    """
                    {"prompt_tokens":310,"completion_tokens":6,"total_tokens":316,
                     "prompt_tokens_details":{"cached_tokens":0}}"""),
                "[DONE]")));
  }

  @Test
  void textThenTwoToolCalls() {
    List<List<SseFraming.Event>> out =
        feed(
            START
                + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Looking it up."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"zo"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ne\\": \\"UTC\\"}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01C","name":"get_date","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":2}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":52}}

                event: message_stop
                data: {"type":"message_stop"}

                """);
    expect(
        out,
        List.of(
            List.of(delta(ROLE)),
            List.of(),
            List.of(delta("{\"content\":\"Looking it up.\"}")),
            List.of(),
            List.of(
                delta(
                    """
                    {"tool_calls":[{"index":0,"id":"toolu_01B","type":"function",
                                    "function":{"name":"get_time","arguments":""}}]}""")),
            List.of(),
            List.of(
                delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"zo\"}}]}")),
            List.of(
                delta(
                    "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ne\\\": \\\"UTC\\\"}\"}}]}")),
            List.of(),
            List.of(
                delta(
                    """
                    {"tool_calls":[{"index":1,"id":"toolu_01C","type":"function",
                                    "function":{"name":"get_date","arguments":""}}]}""")),
            List.of(delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{}\"}}]}")),
            List.of(),
            List.of(finish("tool_calls")),
            List.of(
                usage(
                    """
                    {"prompt_tokens":310,"completion_tokens":52,"total_tokens":362,
                     "prompt_tokens_details":{"cached_tokens":0}}"""),
                "[DONE]")));
  }

  @Test
  void aToolCallWhoseInputArrivesInTwentyFragments() {
    String input =
        "{\"query\":\"weather in Paris, Tokyo and Lima\",\"units\":\"metric\",\"days\":3,"
            + "\"fields\":[\"temp\",\"wind\",\"rain\"]}";
    StringBuilder recorded = new StringBuilder(START);
    recorded.append(
        """
        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"forecast","input":{}}}

        """);
    List<String> fragments = new ArrayList<>();
    for (int i = 0; i < 20; i++) { // cuts fall anywhere, inside keys and strings too
      fragments.add(input.substring(i * input.length() / 20, (i + 1) * input.length() / 20));
    }
    for (String fragment : fragments) {
      ObjectNode event = Json.MAPPER.createObjectNode().put("type", "content_block_delta");
      event.put("index", 0);
      event.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
      recorded.append("event: content_block_delta\ndata: ").append(event).append("\n\n");
    }
    recorded.append(
        """
        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        """);
    List<List<SseFraming.Event>> out = feed(recorded.toString());
    assertThat(out).hasSize(23);
    assertThat(json(out.get(1).get(0).data()).at("/choices/0/delta/tool_calls/0"))
        .isEqualTo(
            json(
                """
                {"index":0,"id":"toolu_1","type":"function",
                 "function":{"name":"forecast","arguments":""}}"""));
    StringBuilder arguments = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      List<SseFraming.Event> chunks = out.get(2 + i);
      assertThat(chunks).hasSize(1);
      ObjectNode expected = Json.MAPPER.createObjectNode().put("index", 0);
      expected.putObject("function").put("arguments", fragments.get(i));
      assertThat(json(chunks.get(0).data()).at("/choices/0/delta"))
          .isEqualTo(Json.MAPPER.createObjectNode().set("tool_calls", json("[" + expected + "]")));
      arguments.append(
          json(chunks.get(0).data())
              .at("/choices/0/delta/tool_calls/0/function/arguments")
              .stringValue());
    }
    assertThat(arguments.toString()).isEqualTo(input);
    assertThat(out.get(22)).isEmpty();
  }

  @Test
  void usageTakesInputAndCacheCountsFromStartAndTheLastMessageDelta() {
    List<List<SseFraming.Event>> out =
        feed(
            """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01A","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":1}}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":30}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":null,"stop_sequence":null},"usage":{"input_tokens":12,"cache_creation_input_tokens":null,"cache_read_input_tokens":3000,"output_tokens":40}}

            event: message_stop
            data: {"type":"message_stop"}

            """);
    expect(
        out,
        List.of(
            List.of(delta(ROLE)),
            List.of(finish("length")),
            List.of(),
            List.of(
                usage(
                    """
                    {"prompt_tokens":3212,"completion_tokens":40,"total_tokens":3252,
                     "prompt_tokens_details":{"cached_tokens":3000,"cache_write_tokens":200}}"""),
                "[DONE]")));
  }

  @Test
  void anErrorAfterTheThirdEventEndsTheStreamWithOneErrorChunk() {
    List<List<SseFraming.Event>> out =
        feed(
            START
                + """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}

                event: message_stop
                data: {"type":"message_stop"}

                """);
    expect(
        out,
        List.of(
            List.of(delta(ROLE)),
            List.of(),
            List.of(delta("{\"content\":\"Hel\"}")),
            List.of(
                """
                {"error":{"message":"Overloaded","type":"server_error","param":null,"code":null}}"""),
            List.of(),
            List.of()));
    SseFraming.Event error = out.get(3).get(0);
    assertThat(Api.OPENAI.isErrorEvent(error)).isTrue();
  }
}
