package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.wire.Operation;
import dev.llmrouter.wire.SseFraming;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;

class StreamAssemblerTest {

  private static SseFraming.Event data(String json) {
    return new SseFraming.Event(new byte[0], null, json);
  }

  private static SseFraming.Event named(String name, String json) {
    return new SseFraming.Event(new byte[0], name, json);
  }

  private static String response(StreamAssembler a) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (JsonGenerator g =
        Json.FACTORY.createGenerator(tools.jackson.core.ObjectWriteContext.empty(), out)) {
      a.writeResponse(g);
    }
    return out.toString();
  }

  @Test
  void openAiTextToolCallsAndUsageAreAssembled() {
    StreamAssembler a =
        new StreamAssembler(Operation.CHAT, 1000, new MemoryBudget(1 << 20).ledger());
    a.accept(data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}"));
    a.accept(data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}"));
    a.accept(
        data(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}"));
    a.accept(
        data(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\":1}\"}}]}}]}"));
    a.accept(data("{\"id\":\"c\",\"choices\":[],\"usage\":{\"total_tokens\":7}}"));
    a.accept(data("[DONE]"));
    // An upstream's keepalive comment is no event.
    a.accept(new SseFraming.Event(": ping\n\n".getBytes(StandardCharsets.UTF_8), null, null));

    assertThat(a.events()).isEqualTo(6);
    assertThat(a.truncated()).isFalse();
    assertThat(response(a))
        .isEqualTo(
            "{\"content\":\"Hello\",\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"f\","
                + "\"arguments\":\"{\\\"a\\\":1}\"}]}");
    assertThat(a.usage().toString()).isEqualTo("{\"total_tokens\":7}");
  }

  @Test
  void oddIndexesAreLeftOutAndOnlyTheFirstChoiceIsKept() {
    StreamAssembler a =
        new StreamAssembler(Operation.CHAT, 1000, new MemoryBudget(1 << 20).ledger());
    for (String index : new String[] {"\"first\"", "{}", "-1", "1e40", "4294967296", "null"}) {
      a.accept(
          data(
              "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":"
                  + index
                  + ",\"id\":\"call_x\",\"function\":{\"name\":\"f\"}}]}}]}"));
    }
    // n = 2: two choices stream side by side; the log keeps the first, as the translators do.
    a.accept(data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Yes\"}}]}"));
    a.accept(data("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"No\"}}]}"));
    a.accept(data("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"}}]}"));

    assertThat(response(a)).isEqualTo("{\"content\":\"Yes!\"}");

    StreamAssembler r =
        new StreamAssembler(Operation.RESPONSES, 1000, new MemoryBudget(1 << 20).ledger());
    r.accept(
        data(
            "{\"type\":\"response.output_item.added\",\"output_index\":\"0\","
                + "\"item\":{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\"}}"));
    r.accept(
        data(
            "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":[],"
                + "\"delta\":\"{}\"}"));
    assertThat(response(r)).isEqualTo("{\"content\":\"\"}");
  }

  @Test
  void nullCountsInMessageDeltaKeepMessageStartsUsage() {
    StreamAssembler a =
        new StreamAssembler(Operation.MESSAGES, 1000, new MemoryBudget(1 << 20).ledger());
    a.accept(
        named(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":12,"
                + "\"cache_read_input_tokens\":40,\"output_tokens\":1}}}"));
    a.accept(
        named(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"input_tokens\":null,\"cache_read_input_tokens\":null,"
                + "\"output_tokens\":2}}"));

    assertThat(a.usage().toString())
        .isEqualTo("{\"input_tokens\":12,\"cache_read_input_tokens\":40,\"output_tokens\":2}");
  }

  @Test
  void aResponsesStreamIsAssembledWithItsIdFunctionCallsAndTheUsageOfItsFinalEvent() {
    StreamAssembler a =
        new StreamAssembler(Operation.RESPONSES, 1000, new MemoryBudget(1 << 20).ledger());
    a.accept(
        named(
            "response.created",
            "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\","
                + "\"status\":\"in_progress\",\"usage\":null}}"));
    a.accept(
        named(
            "response.output_text.delta",
            "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":\"Hi\"}"));
    a.accept(
        named(
            "response.output_item.added",
            "{\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{"
                + "\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\","
                + "\"name\":\"shell\",\"arguments\":\"\"}}"));
    a.accept(
        named(
            "response.function_call_arguments.delta",
            "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":1,"
                + "\"delta\":\"{\\\"cmd\\\"\"}"));
    a.accept(
        named(
            "response.function_call_arguments.delta",
            "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":1,"
                + "\"delta\":\":1}\"}"));
    a.accept(
        named(
            "response.completed",
            "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\","
                + "\"status\":\"completed\",\"usage\":{\"input_tokens\":9,\"output_tokens\":12}}}"));

    // The final Response object as the upstream sent it, then what was assembled.
    assertThat(response(a))
        .isEqualTo(
            "{\"id\":\"resp_1\",\"status\":\"completed\","
                + "\"usage\":{\"input_tokens\":9,\"output_tokens\":12},\"content\":\"Hi\","
                + "\"tool_calls\":[{\"call_id\":\"call_1\",\"name\":\"shell\","
                + "\"arguments\":\"{\\\"cmd\\\":1}\"}]}");
    assertThat(a.usage().toString()).isEqualTo("{\"input_tokens\":9,\"output_tokens\":12}");
  }

  @Test
  void aFinalResponseObjectPastTheCapLeavesTheSummaryAlone() {
    StreamAssembler a =
        new StreamAssembler(Operation.RESPONSES, 60, new MemoryBudget(1 << 20).ledger());
    a.accept(
        named(
            "response.output_text.delta",
            "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":\"Hi\"}"));
    a.accept(
        named(
            "response.completed",
            "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_2\","
                + "\"status\":\"completed\",\"output\":[{\"type\":\"message\"}],"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}"));

    assertThat(response(a))
        .isEqualTo("{\"id\":\"resp_2\",\"status\":\"completed\",\"content\":\"Hi\"}");
    assertThat(a.truncated()).isFalse();
  }

  @Test
  void aLegacyCompletionStreamsTextIsAssembled() {
    StreamAssembler a =
        new StreamAssembler(Operation.COMPLETIONS, 1000, new MemoryBudget(1 << 20).ledger());
    a.accept(data("{\"object\":\"text_completion\",\"choices\":[{\"text\":\"Hel\",\"index\":0}]}"));
    a.accept(data("{\"object\":\"text_completion\",\"choices\":[{\"text\":\"lo\",\"index\":0}]}"));
    assertThat(response(a)).isEqualTo("{\"content\":\"Hello\"}");
  }

  @Test
  void pastTheCapTheTextIsCutButUsageIsStillRead() {
    StreamAssembler a =
        new StreamAssembler(Operation.MESSAGES, 10, new MemoryBudget(1 << 20).ledger());
    a.accept(
        named(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}"));
    for (int i = 0; i < 1000; i++) {
      a.accept(
          named(
              "content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":0,"
                  + "\"delta\":{\"type\":\"text_delta\",\"text\":\"abc \"}}"));
    }
    a.accept(
        named(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":4000}}"));

    assertThat(a.truncated()).isTrue();
    // Cut at 10, where a word would be split: back to its start (no part of a key stays).
    assertThat(response(a)).isEqualTo("{\"content\":\"abc abc \"}");
    assertThat(a.usage().toString()).isEqualTo("{\"input_tokens\":3,\"output_tokens\":4000}");
  }
}
