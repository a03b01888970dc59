package dev.llmrouter.wire;

import static dev.llmrouter.wire.ChatViaMessagesStreamTest.START;
import static dev.llmrouter.wire.ChatViaMessagesStreamTest.delta;
import static dev.llmrouter.wire.ChatViaMessagesStreamTest.events;
import static dev.llmrouter.wire.ChatViaMessagesStreamTest.finish;
import static dev.llmrouter.wire.ChatViaMessagesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stream's edges, and what an OpenAI SDK accumulator makes of it: the same answer streamed and
 * not streamed must come out the same (PROTOCOLS.md 5.5).
 */
class ChatViaMessagesStreamEdgesTest {

  private static final String THINKING_THEN_TOOL =
      START
          + """
          event: content_block_start
          data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

          event: content_block_delta
          data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants"}}

          event: content_block_delta
          data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}

          event: content_block_stop
          data: {"type":"content_block_stop","index":0}

          event: content_block_start
          data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":"On it"}}

          event: content_block_stop
          data: {"type":"content_block_stop","index":1}

          event: content_block_start
          data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_2","name":"now","input":{}}}

          event: content_block_stop
          data: {"type":"content_block_stop","index":2}

          event: content_block_start
          data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_3","name":"at","input":{"zone":"UTC"}}}

          event: content_block_stop
          data: {"type":"content_block_stop","index":3}

          event: message_stop
          data: {"type":"message_stop"}

          """;

  private static List<SseFraming.Event> flat(List<List<SseFraming.Event>> perEvent) {
    List<SseFraming.Event> all = new ArrayList<>();
    perEvent.forEach(all::addAll);
    return all;
  }

  @Test
  void thinkingIsDroppedAndToolsWithoutFragmentsGetTheirWholeInput() {
    List<List<SseFraming.Event>> out = ChatViaMessagesStreamTest.feed(THINKING_THEN_TOOL);
    assertThat(out.subList(1, 5)).allMatch(List::isEmpty);
    assertThat(out.get(5)).hasSize(1);
    assertThat(json(out.get(5).get(0).data())).isEqualTo(json(delta("{\"content\":\"On it\"}")));
    // No input_json_delta came: "{}" for no arguments (clients parse it), else the start's input.
    assertThat(json(out.get(8).get(0).data()))
        .isEqualTo(
            json(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}")));
    assertThat(json(out.get(10).get(0).data()))
        .isEqualTo(
            json(
                delta(
                    "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":"
                        + "\"{\\\"zone\\\":\\\"UTC\\\"}\"}}]}")));
    // message_stop without a message_delta still gives a finish_reason (openai-node needs one).
    assertThat(out.get(11)).hasSize(3);
    assertThat(json(out.get(11).get(0).data())).isEqualTo(json(finish("stop")));
  }

  @Test
  void pingsCommentsUnknownEventsAndDeltasOfUnknownBlocksGiveNothing() {
    StreamTranslator t = ChatViaMessages.INSTANCE.stream();
    assertThat(t.translate(events(START).get(0))).hasSize(1);
    for (SseFraming.Event e :
        events(
            """
            event: ping
            data: {"type":"ping"}

            : an upstream keepalive

            event: some_future_event
            data: {"type":"some_future_event"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":7,"delta":{"type":"text_delta","text":"x"}}

            event: message_start
            data: {"type":"message_start","message":{"id":"msg_2","model":"m","content":[],"usage":{}}}

            """)) {
      assertThat(t.translate(e)).as(e.data()).isEmpty();
    }
  }

  @Test
  void eventsBeforeMessageStartStillGiveAFirstChunk() {
    List<SseFraming.Event> out =
        flat(
            ChatViaMessagesStreamTest.feed(
                """
                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}

                """));
    assertThat(out).hasSize(2);
    JsonNode first = json(out.get(0).data());
    assertThat(first.get("id").stringValue()).startsWith("chatcmpl-");
    assertThat(first.at("/choices/0/delta/role").stringValue()).isEqualTo("assistant");
    assertThat(json(out.get(1).data()).get("id")).isEqualTo(first.get("id"));
  }

  @Test
  void errorsKeepTheirClassAndABrokenEventIsAnError() {
    List<SseFraming.Event> out =
        flat(
            ChatViaMessagesStreamTest.feed(
                """
                event: error
                data: {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}

                """));
    assertThat(json(out.get(0).data()))
        .isEqualTo(
            json(
                """
                {"error":{"message":"Slow down","type":"rate_limit_exceeded","param":null,
                          "code":"rate_limit_exceeded"}}"""));
    assertThat(Api.OPENAI.errorEventStatus(out.get(0))).isEqualTo(429);

    StreamTranslator t = ChatViaMessages.INSTANCE.stream();
    List<SseFraming.Event> broken =
        t.translate(events("event: content_block_delta\ndata: {\"ty\n\n").get(0));
    assertThat(broken).hasSize(1);
    assertThat(json(broken.get(0).data()).at("/error/type").stringValue())
        .isEqualTo("server_error");
    assertThat(t.translate(events(START).get(0))).isEmpty();
  }

  @Test
  void anErrorWithoutItsEventLineKeepsItsClass() {
    List<SseFraming.Event> out =
        flat(
            ChatViaMessagesStreamTest.feed(
                """
                data: {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}

                """));
    assertThat(Api.OPENAI.errorEventStatus(out.get(0))).isEqualTo(429);
  }

  @Test
  void withoutIncludeUsageNoUsageChunkComes() {
    StreamTranslator t = new ChatViaMessagesStream(ChatViaMessagesResponseTest.T_CLOCK, false);
    List<SseFraming.Event> out = new ArrayList<>();
    for (SseFraming.Event e :
        events(START + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")) {
      out.addAll(t.translate(e));
    }
    assertThat(out).extracting(SseFraming.Event::data).last().isEqualTo("[DONE]");
    // The usage chunk is there for the log only: nothing of it is written to the client.
    assertThat(out).filteredOn(e -> !StreamTranslator.logOnly(e)).hasSize(3);
    assertThat(out)
        .filteredOn(StreamTranslator::logOnly)
        .singleElement()
        .extracting(SseFraming.Event::data)
        .asString()
        .contains("\"usage\"");
  }

  @Test
  void streamedAndNotStreamedGiveTheSameCompletion() {
    String recorded =
        START
            + """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Looking "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"it up."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"zone\\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"UTC\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01C","name":"get_date","input":{}}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":52}}

            event: message_stop
            data: {"type":"message_stop"}

            """;
    String message =
        """
        {"id":"msg_01A","type":"message","role":"assistant","model":"claude-x","content":[
          {"type":"text","text":"Looking it up."},
          {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{"zone":"UTC"}},
          {"type":"tool_use","id":"toolu_01C","name":"get_date","input":{}}],
         "stop_reason":"tool_use","usage":{"input_tokens":310,"output_tokens":52}}""";
    JsonNode notStreamed =
        json(ChatViaMessagesResponseTest.T.response(message.getBytes(StandardCharsets.UTF_8)));
    assertThat(accumulate(flat(ChatViaMessagesStreamTest.feed(recorded)))).isEqualTo(notStreamed);
  }

  /**
   * What openai-node's ChatCompletionStream checks and builds, reduced to what the router's chunks
   * use (PROTOCOLS.md 5.5), with openai-python's stricter rules where they differ: the same id,
   * created and model on every chunk; a role; each tool call's index without gaps, and its id, type
   * and name on its first delta only; a finish_reason; the usage chunk last; then [DONE].
   */
  static ObjectNode accumulate(List<SseFraming.Event> chunks) {
    assertThat(chunks).isNotEmpty();
    assertThat(chunks.getLast().data()).isEqualTo("[DONE]");
    JsonNode first = json(chunks.getFirst().data());
    ObjectNode message = Json.MAPPER.createObjectNode();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    String finishReason = null;
    JsonNode usage = null;
    for (SseFraming.Event e : chunks.subList(0, chunks.size() - 1)) {
      JsonNode chunk = json(e.data());
      assertThat(usage).as("nothing after the usage chunk").isNull();
      assertThat(chunk.get("object").stringValue()).isEqualTo("chat.completion.chunk");
      for (String field : new String[] {"id", "created", "model"}) {
        assertThat(chunk.get(field)).as(field).isEqualTo(first.get(field));
      }
      if (chunk.get("choices").isEmpty()) {
        usage = chunk.get("usage");
        continue;
      }
      JsonNode choice = chunk.at("/choices/0");
      assertThat(choice.get("index").intValue()).isZero();
      JsonNode delta = choice.get("delta");
      if (delta.has("role")) {
        assertThat(message.has("role")).as("role once").isFalse();
        message.set("role", delta.get("role"));
      }
      JsonNode content = delta.path("content");
      if (content.isString()) {
        String before = message.path("content").asString("");
        message.put("content", before + content.stringValue());
      }
      for (JsonNode call : delta.path("tool_calls")) {
        int index = call.get("index").intValue();
        assertThat(index).isBetween(0, calls.size());
        if (index == calls.size()) {
          ObjectNode made = calls.addObject();
          made.put("id", call.get("id").stringValue());
          made.put("type", call.get("type").stringValue());
          made.putObject("function")
              .put("name", call.at("/function/name").stringValue())
              .put("arguments", call.at("/function/arguments").stringValue());
        } else {
          assertThat(call.has("id") || call.has("type") || call.at("/function").has("name"))
              .as("id, type and name only on a call's first delta")
              .isFalse();
          ObjectNode function = (ObjectNode) calls.get(index).get("function");
          function.put(
              "arguments",
              function.get("arguments").stringValue()
                  + call.at("/function/arguments").stringValue());
        }
      }
      if (choice.get("finish_reason").isString()) {
        assertThat(finishReason).as("one finish_reason").isNull();
        finishReason = choice.get("finish_reason").stringValue();
      }
    }
    assertThat(message.path("role").stringValue()).isEqualTo("assistant");
    assertThat(finishReason).isNotNull();
    ObjectNode completion = Json.MAPPER.createObjectNode();
    completion.set("id", first.get("id"));
    completion.put("object", "chat.completion");
    completion.set("created", first.get("created"));
    completion.set("model", first.get("model"));
    ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
    if (!message.has("content")) {
      message.putNull("content");
    }
    message.putNull("refusal");
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    completion.set("usage", usage);
    return completion;
  }
}
