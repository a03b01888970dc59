package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Whole answers as the streams their clients asked for, rebuilt as the SDKs rebuild them. */
class WholeAnswerStreamTest {

  private static List<SseFraming.Event> events(byte[] sse) throws IOException {
    SseFraming.Reader reader = new SseFraming.Reader(new ByteArrayInputStream(sse));
    List<SseFraming.Event> out = new ArrayList<>();
    for (SseFraming.Event e; (e = reader.next()) != null; ) {
      out.add(e);
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aMessageBecomesTheEventsAnAnthropicAccumulatorRebuildsItFrom() throws IOException {
    String answer =
        """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"thinking","thinking":"Let me see.","signature":"EqQB"},
                    {"type":"text","text":"I'll check."},
                    {"type":"tool_use","id":"toolu_01","name":"get_weather",
                     "input":{"city":"Paris","days":[1,2]}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":12,"output_tokens":34}}""";

    List<SseFraming.Event> events =
        events(WholeAnswerStream.of(Operation.MESSAGES, bytes(answer), false));

    JsonNode rebuilt = AnthropicStreamCheck.finalMessage(events);
    JsonNode original = Json.MAPPER.readTree(answer);
    assertThat(rebuilt.path("content")).isEqualTo(original.path("content"));
    assertThat(rebuilt.path("stop_reason").asString()).isEqualTo("tool_use");
    assertThat(rebuilt.path("usage").path("output_tokens").asInt()).isEqualTo(34);
    assertThat(events.get(events.size() - 1).name()).isEqualTo("message_stop");
  }

  @Test
  void aChatCompletionBecomesChunksWithTheUsageChunkOnlyWhenAskedFor() throws IOException {
    String answer =
        """
        {"id":"chatcmpl-1","object":"chat.completion","created":1733400000,"model":"gpt-4o",
         "system_fingerprint":"fp_1",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,
           "tool_calls":[{"id":"call_1","type":"function",
             "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
           "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}""";

    List<SseFraming.Event> with = events(WholeAnswerStream.of(Operation.CHAT, bytes(answer), true));
    List<SseFraming.Event> without =
        events(WholeAnswerStream.of(Operation.CHAT, bytes(answer), false));

    assertThat(with.get(with.size() - 1).data()).isEqualTo("[DONE]");
    JsonNode first = Json.MAPPER.readTree(with.get(0).data());
    assertThat(first.path("object").asString()).isEqualTo("chat.completion.chunk");
    assertThat(first.path("id").asString()).isEqualTo("chatcmpl-1");
    JsonNode call = first.path("choices").get(0).path("delta").path("tool_calls").get(0);
    assertThat(call.path("index").asInt()).isZero();
    assertThat(call.path("id").asString()).isEqualTo("call_1");
    assertThat(call.path("function").path("arguments").asString())
        .isEqualTo("{\"city\":\"Paris\"}");
    JsonNode finish = Json.MAPPER.readTree(with.get(1).data()).path("choices").get(0);
    assertThat(finish.path("finish_reason").asString()).isEqualTo("tool_calls");
    JsonNode usage = Json.MAPPER.readTree(with.get(2).data());
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.path("usage").path("total_tokens").asInt()).isEqualTo(15);
    assertThat(without).hasSize(3); // no usage chunk: code that reads choices[0] would fail on it
  }

  @Test
  void aLegacyCompletionBecomesOneChunkPerChoice() throws IOException {
    String answer =
        "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"text\":\"Hello\",\"logprobs\":null,"
            + "\"finish_reason\":\"stop\"}]}";

    List<SseFraming.Event> events =
        events(WholeAnswerStream.of(Operation.COMPLETIONS, bytes(answer), false));

    assertThat(events).hasSize(2);
    JsonNode choice = Json.MAPPER.readTree(events.get(0).data()).path("choices").get(0);
    assertThat(choice.path("text").asString()).isEqualTo("Hello");
    assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    assertThat(events.get(1).data()).isEqualTo("[DONE]");
  }

  @Test
  void nothingIsMadeForAnotherRouteOrAnAnswerOfAnotherShape() {
    assertThat(WholeAnswerStream.of(Operation.RESPONSES, bytes("{\"id\":\"resp_1\"}"), false))
        .isNull();
    assertThat(WholeAnswerStream.of(Operation.CHAT, bytes("{\"error\":{}}"), false)).isNull();
    assertThat(WholeAnswerStream.of(Operation.MESSAGES, bytes("[1]"), false)).isNull();
    assertThat(WholeAnswerStream.of(Operation.CHAT, bytes("not json"), false)).isNull();
  }

  @Test
  void aResponseBecomesTheItemEventsItsStreamWouldHaveCarriedNumberedFromZero() throws IOException {
    String answer =
        """
        {"id":"resp_1","object":"response","created_at":1751642570,"status":"completed",
         "model":"gpt-x","error":null,"incomplete_details":null,
         "output":[{"type":"reasoning","id":"rs_1","summary":[]},
                   {"type":"message","id":"msg_1","role":"assistant","status":"completed",
                    "content":[{"type":"output_text","text":"Hi","annotations":[]}]},
                   {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_time",
                    "arguments":"{\\"zone\\":\\"UTC\\"}","status":"completed"}],
         "usage":{"input_tokens":9,"output_tokens":12,"total_tokens":21}}""";

    List<SseFraming.Event> events =
        events(WholeAnswerStream.of(Operation.RESPONSES, bytes(answer), false));

    assertThat(events.stream().map(SseFraming.Event::name).toList())
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed");
    JsonNode original = Json.MAPPER.readTree(answer);
    List<JsonNode> data = events.stream().map(e -> Json.MAPPER.readTree(e.data())).toList();
    for (int i = 0; i < data.size(); i++) {
      assertThat(data.get(i).path("sequence_number").asInt()).isEqualTo(i);
      assertThat(data.get(i).path("type").asString()).isEqualTo(events.get(i).name());
    }
    assertThat(data.get(0).path("response").path("id").asString()).isEqualTo("resp_1");
    assertThat(data.get(0).path("response").path("status").asString()).isEqualTo("in_progress");
    // What Codex keeps: the items of output_item.done, in order; the SDKs: the deltas.
    assertThat(
            data.stream()
                .filter(d -> d.path("type").asString().equals("response.output_item.done"))
                .map(d -> d.path("item"))
                .toList())
        .containsExactlyElementsOf(original.path("output"));
    assertThat(data.get(6).path("delta").asString()).isEqualTo("Hi");
    assertThat(data.get(11).path("delta").asString()).isEqualTo("{\"zone\":\"UTC\"}");
    assertThat(data.get(14).path("response")).isEqualTo(original);
  }

  @Test
  void anIncompleteResponseEndsWithResponseIncomplete() throws IOException {
    String answer =
        """
        {"id":"resp_2","object":"response","status":"incomplete","output":[],
         "incomplete_details":{"reason":"max_output_tokens"}}""";

    List<SseFraming.Event> events =
        events(WholeAnswerStream.of(Operation.RESPONSES, bytes(answer), false));

    assertThat(events.get(events.size() - 1).name()).isEqualTo("response.incomplete");
    assertThat(WholeAnswerStream.of(Operation.RESPONSES, bytes("{\"object\":\"list\"}"), false))
        .isNull();
  }
}
