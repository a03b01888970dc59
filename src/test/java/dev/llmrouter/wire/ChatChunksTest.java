package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatChunksTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"id":"","object":"","created":0,"model":"","choices":[],"prompt_filter_results":[]} | true
          {"choices" : [ ] ,"usage":null}                                                        | true
          {"id":"c","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2}}             | false
          {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}          | false
          {"id":"c","choices":null}                                                             | false
          {"id":"c"}                                                                            | false
          """)
  void onlyAChunkWithEmptyChoicesAndNoUsageHasNoChoices(String data, boolean expected) {
    assertThat(ChatChunks.hasNoChoices(data)).isEqualTo(expected);
  }

  @Test
  void aPreambleIsAzuresFilterChunkOnChatAndCompletionsAndAPingOnMessages() {
    String azure = "{\"id\":\"\",\"choices\":[],\"prompt_filter_results\":[]}";
    SseFraming.Event filter = new SseFraming.Event(new byte[0], null, azure);
    SseFraming.Event ping = new SseFraming.Event(new byte[0], "ping", "{\"type\":\"ping\"}");

    assertThat(Operation.CHAT.isPreamble(filter)).isTrue();
    assertThat(Operation.COMPLETIONS.isPreamble(filter)).isTrue();
    assertThat(Operation.MESSAGES.isPreamble(ping)).isTrue();
    assertThat(Operation.MESSAGES.isPreamble(filter)).isFalse();
    assertThat(Operation.RESPONSES.isPreamble(filter)).isFalse();
    assertThat(Operation.CHAT.isPreamble(ping)).isFalse();
  }
}
