package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Each API's usage object, as its answers and streams carry it. */
class UsageTokensTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "chat completions | {\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":4}} | 9 | 1",
        "embeddings | {\"prompt_tokens\":8,\"total_tokens\":8} | 8 | 0",
        "anthropic | {\"input_tokens\":12,\"output_tokens\":6} | 12 | 6",
        "anthropic, prompt cache | {\"input_tokens\":3,\"cache_creation_input_tokens\":100,"
            + "\"cache_read_input_tokens\":2000,\"output_tokens\":5} | 2103 | 5",
        "responses api | {\"input_tokens\":9,\"input_tokens_details\":{\"cached_tokens\":0},"
            + "\"output_tokens\":12,\"output_tokens_details\":{\"reasoning_tokens\":4},"
            + "\"total_tokens\":21} | 9 | 12",
        "garbage | {\"input_tokens\":\"many\",\"output_tokens\":-3,\"cache_read_input_tokens\":null}"
            + " | 0 | 0",
        "empty | {} | 0 | 0",
        "whole numbers written with .0 | {\"prompt_tokens\":11.0,\"completion_tokens\":2.0} | 11 | 2",
        "a fraction is no count | {\"prompt_tokens\":1.5,\"completion_tokens\":-2.0} | 0 | 0",
        "null names the other field | {\"prompt_tokens\":null,\"input_tokens\":5,"
            + "\"completion_tokens\":null,\"output_tokens\":3} | 5 | 3",
        "past a long | {\"prompt_tokens\":99999999999999999999,\"completion_tokens\":1e400} | 0 | 0",
        "saturating sum | {\"input_tokens\":9223372036854775807,\"cache_read_input_tokens\":5}"
            + " | 9223372036854775807 | 0",
        "a name repeated: the last | {\"output_tokens\":3,\"output_tokens\":{\"n\":4}} | 0 | 0",
        "objects beside | {\"details\":{\"prompt_tokens\":7},\"input_tokens\":[1],"
            + "\"output_tokens\":2} | 0 | 2"
      })
  void inputAndOutputInEachApisNames(String api, String usage, long input, long output) {
    JsonNode node = Json.MAPPER.readTree(usage);
    assertThat(UsageTokens.counts(node)).isEqualTo(new UsageTokens.Counts(input, output));
    // Counted in the writer's one pass over a whole answer, as it finds the usage.
    byte[] answer =
        ("{\"id\":\"c1\",\"choices\":[{\"usage\":{\"prompt_tokens\":99}}],\"usage\":"
                + usage
                + ",\"model\":\"m\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(AnswerScan.of(answer, Long.MAX_VALUE, Json.MAPPER).counts())
        .isEqualTo(new UsageTokens.Counts(input, output));
  }

  @Test
  void anAnswerWithItsUsageTwiceCountsTheLastAsATreeKeepsIt() {
    byte[] answer =
        "{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2},\"id\":\"c1\",\"usage\":{\"input_tokens\":5,\"output_tokens\":6}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AnswerScan scan = AnswerScan.of(answer, Long.MAX_VALUE, Json.MAPPER);
    assertThat(scan.counts()).isEqualTo(new UsageTokens.Counts(5, 6));
    assertThat(
            new String(
                answer,
                scan.usageStart(),
                scan.usageEnd() - scan.usageStart(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"input_tokens\":5,\"output_tokens\":6}");
    assertThat(UsageTokens.counts(Json.MAPPER.readTree(answer).get("usage")))
        .isEqualTo(scan.counts());
  }
}
