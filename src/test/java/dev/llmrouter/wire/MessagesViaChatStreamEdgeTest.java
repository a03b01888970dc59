package dev.llmrouter.wire;

import static dev.llmrouter.wire.MessagesViaChatStreamTest.DONE;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.MESSAGE_START;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.MESSAGE_STOP;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.ROLE;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.call;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.callStart;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.delta;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.finish;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.jsonDelta;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.messageDelta;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.stop;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.textDelta;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.textStart;
import static dev.llmrouter.wire.MessagesViaChatStreamTest.toolStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.MessagesViaChatStreamTest.Feed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Streams from compatible servers that bend the OpenAI shape, and broken streams. */
class MessagesViaChatStreamEdgeTest {

  @Test
  void azuresOpeningFilterChunkAndCommentsGiveNothing() {
    String azure =
        "{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],"
            + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}";
    StreamTranslator translator = MessagesViaChat.INSTANCE.stream();
    byte[] comment = ": OPENROUTER PROCESSING\n\n".getBytes(StandardCharsets.UTF_8);
    assertThat(translator.translate(new SseFraming.Event(comment, null, null))).isEmpty();
    new Feed().gives(azure).gives(ROLE, MESSAGE_START);
  }

  @Test
  void doneWithoutAnyChunkStillGivesACompleteMessage() {
    List<SseFraming.Event> out =
        MessagesViaChat.INSTANCE.stream()
            .translate(new SseFraming.Event(SseFraming.event(null, DONE), null, DONE));
    assertThat(out)
        .extracting(SseFraming.Event::name)
        .containsExactly("message_start", "message_delta", "message_stop");
    JsonNode message = AnthropicStreamCheck.finalMessage(out);
    assertThat(message.get("id").asString()).startsWith("msg_").hasSizeGreaterThan(10);
    assertThat(message.get("content")).isEmpty();
    assertThat(message.get("stop_reason").asString()).isEqualTo("end_turn");
  }

  @Test
  void wholeCallsInOneChunkWithoutIndexesEachGetABlock() {
    // Gemini's OpenAI endpoint sends each call whole, several in one chunk, with no index.
    String chunk =
        delta(
            """
            {"role":"assistant","tool_calls":[
             {"id":"c1","type":"function","function":{"name":"a","arguments":"{\\"x\\":1}"}},
             {"id":"c2","type":"function","function":{"name":"b","arguments":"{}"}}]}""");
    JsonNode message =
        new Feed()
            .gives(
                chunk,
                MESSAGE_START,
                toolStart(0, "c1", "a"),
                jsonDelta(0, "{\"x\":1}"),
                stop(0),
                toolStart(1, "c2", "b"),
                jsonDelta(1, "{}"))
            .gives(finish("stop"))
            .gives(DONE, stop(1), messageDelta("tool_use", 0, 0, 0), MESSAGE_STOP)
            .finalMessage();
    assertThat(message.get("stop_reason").asString()).isEqualTo("tool_use");
  }

  @Test
  void anIdRepeatedOnEveryFragmentStartsNoSecondBlock() {
    String again =
        delta(
            "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"Bash\",\"arguments\":\"{}\"}}]}");
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(callStart(0, "call_1", "Bash"), toolStart(0, "call_1", "Bash"))
        .gives(again, jsonDelta(0, "{}"))
        .gives(DONE, stop(0), messageDelta("tool_use", 0, 0, 0), MESSAGE_STOP)
        .finalMessage();
  }

  @Test
  void aCallThatStartsBeforeTheLiveOneIsFinishedIsHeldAndGivenWholeAtTheEnd() {
    // A server that interleaves calls: b starts while a's arguments are half sent, then a's rest
    // comes. No fragment may reach a stopped block (the Vercel AI SDK takes a call's input at its
    // content_block_stop and drops what follows).
    JsonNode message =
        new Feed()
            .gives(ROLE, MESSAGE_START)
            .gives(callStart(0, "a", "f"), toolStart(0, "a", "f"))
            .gives(call(0, "{\"p\":"), jsonDelta(0, "{\"p\":"))
            .gives(callStart(1, "b", "g"))
            .gives(call(0, "1}"), jsonDelta(0, "1}"))
            .gives(call(1, "{\"q\":"))
            .gives(call(1, "2}"))
            .gives(
                DONE,
                stop(0),
                toolStart(1, "b", "g"),
                jsonDelta(1, "{\"q\":2}"),
                stop(1),
                messageDelta("tool_use", 0, 0, 0),
                MESSAGE_STOP)
            .finalMessage();
    assertThat(message.get("content"))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
                [{"type":"tool_use","id":"a","name":"f","input":{"p":1}},
                 {"type":"tool_use","id":"b","name":"g","input":{"q":2}}]"""));
  }

  @Test
  void heldArgumentsPastTheBoundGetTheirBlockAtOnce() {
    // A call that never becomes whole must not make the router hold the others without bound.
    String big = "x".repeat(MessagesViaChatStream.MAX_HELD_CHARS);
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(callStart(0, "a", "f"), toolStart(0, "a", "f"))
        .gives(call(0, "{\"p\":\""), jsonDelta(0, "{\"p\":\""))
        .gives(callStart(1, "b", "g"))
        .gives(call(1, "{\"q\":\""))
        .gives(call(1, big), stop(0), toolStart(1, "b", "g"), jsonDelta(1, "{\"q\":\"" + big))
        .gives(call(1, "\"}"), jsonDelta(1, "\"}"));
  }

  @Test
  void allCallsStartedFirstThenTheirArgumentsStayEachWithItsCall() {
    String bothStart =
        delta(
            """
            {"tool_calls":[
             {"index":0,"id":"a","type":"function","function":{"name":"f","arguments":""}},
             {"index":1,"id":"b","type":"function","function":{"name":"g","arguments":""}}]}""");
    JsonNode message =
        new Feed()
            .gives(ROLE, MESSAGE_START)
            .gives(bothStart, toolStart(0, "a", "f"))
            .gives(call(0, "{}"), jsonDelta(0, "{}"))
            .gives(call(1, "{\"x\":[1,\"]\"]}"))
            .gives(
                DONE,
                stop(0),
                toolStart(1, "b", "g"),
                jsonDelta(1, "{\"x\":[1,\"]\"]}"),
                stop(1),
                messageDelta("tool_use", 0, 0, 0),
                MESSAGE_STOP)
            .finalMessage();
    assertThat(message.get("content").get(1).get("input"))
        .isEqualTo(Json.MAPPER.readTree("{\"x\":[1,\"]\"]}"));
  }

  @Test
  void ollamasParallelCallsAllNumberedZeroAreEachTheirOwnBlock() {
    // Ollama 0.20 gives every call of a parallel batch index 0, each with its own id
    // (ollama/ollama#15457): a new id at a known index is a new call, not more arguments.
    String first =
        delta(
            "{\"tool_calls\":[{\"id\":\"call_a\",\"index\":0,\"type\":\"function\","
                + "\"function\":{\"name\":\"write\",\"arguments\":\"{\\\"p\\\":\\\"a\\\"}\"}}]}");
    String second =
        delta(
            "{\"tool_calls\":[{\"id\":\"call_b\",\"index\":0,\"type\":\"function\","
                + "\"function\":{\"name\":\"read\",\"arguments\":\"{\\\"p\\\":\\\"b\\\"}\"}}]}");
    JsonNode message =
        new Feed()
            .gives(ROLE, MESSAGE_START)
            .gives(first, toolStart(0, "call_a", "write"), jsonDelta(0, "{\"p\":\"a\"}"))
            .gives(second, stop(0), toolStart(1, "call_b", "read"), jsonDelta(1, "{\"p\":\"b\"}"))
            .gives(finish("tool_calls"))
            .gives(DONE, stop(1), messageDelta("tool_use", 0, 0, 0), MESSAGE_STOP)
            .finalMessage();
    assertThat(message.get("content"))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
                [{"type":"tool_use","id":"call_a","name":"write","input":{"p":"a"}},
                 {"type":"tool_use","id":"call_b","name":"read","input":{"p":"b"}}]"""));
  }

  @Test
  void textAfterAToolCallOpensANewTextBlock() {
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(callStart(0, "a", "f"), toolStart(0, "a", "f"))
        .gives(delta("{\"content\":\"and\"}"), stop(0), textStart(1), textDelta(1, "and"))
        .gives(DONE, stop(1), messageDelta("tool_use", 0, 0, 0), MESSAGE_STOP)
        .finalMessage();
  }

  @Test
  void aRefusalDeltaIsText() {
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(delta("{\"refusal\":\"I can't.\"}"), textStart(0), textDelta(0, "I can't."))
        .gives(finish("content_filter"))
        .gives(DONE, stop(0), messageDelta("refusal", 0, 0, 0), MESSAGE_STOP)
        .finalMessage();
  }

  @Test
  void toolCallsFinishWithoutAnyCallEndsTheTurn() {
    // A compatible server whose tool parser gave up sends the call as text and keeps the reason.
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(delta("{\"content\":\"<tool_call>\"}"), textStart(0), textDelta(0, "<tool_call>"))
        .gives(finish("tool_calls"))
        .gives(DONE, stop(0), messageDelta("end_turn", 0, 0, 0), MESSAGE_STOP)
        .finalMessage();
  }

  @Test
  void textSentAsPartsIsText() {
    // Some compatible servers stream content as text parts, as they answer it whole.
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(
            delta(
                "{\"content\":[{\"type\":\"text\",\"text\":\"Hel\"},{\"type\":\"text\",\"text\":\"lo\"}]}"),
            textStart(0),
            textDelta(0, "Hello"))
        .gives(finish("stop"))
        .gives(DONE, stop(0), messageDelta("end_turn", 0, 0, 0), MESSAGE_STOP)
        .finalMessage();
  }

  @Test
  void usageInTheFinishChunkIsKept() {
    // DeepSeek and vLLM (continuous usage stats) put usage on chunks that carry a choice.
    String last =
        MessagesViaChatStreamTest.HEAD
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":4,"
            + "\"prompt_cache_hit_tokens\":20,\"prompt_cache_miss_tokens\":10}}";
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(last)
        .gives(DONE, messageDelta("end_turn", 10, 20, 4), MESSAGE_STOP)
        .finalMessage();
  }

  @Test
  void aChunkThatIsNotJsonEndsTheStreamWithAnError() {
    new Feed()
        .gives(ROLE, MESSAGE_START)
        .gives(
            "{\"id\":\"chatcmpl-X1\",\"choi",
            "error {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"the provider sent a stream chunk that is not JSON\"}}")
        .gives(DONE);
  }

  @Test
  void aFalsyErrorFieldIsNoError() {
    String chunk =
        "{\"id\":\"chatcmpl-X1\",\"model\":\"m\",\"error\":null,"
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}";
    List<SseFraming.Event> out =
        MessagesViaChat.INSTANCE.stream()
            .translate(new SseFraming.Event(SseFraming.event(null, chunk), null, chunk));
    assertThat(out)
        .extracting(SseFraming.Event::name)
        .containsExactly("message_start", "content_block_start", "content_block_delta");
    assertThat(Json.MAPPER.readTree(out.getFirst().data()).get("message").get("model").asString())
        .isEqualTo("m");
  }
}
