package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

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
}
