package dev.llmrouter.logging;

import static dev.llmrouter.logging.RecordSerializerTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Bodies the parser accepts that a byte-for-byte copy would break the line with. */
class RecordSerializerEdgesTest {

  private final RecordSerializer serializer =
      new RecordSerializer(new Redactor(List.of("sk-secret-0123456789abcdef")));

  private JsonNode line(byte[] request, byte[] response) {
    String text =
        new String(serializer.line(record(request, response, true)), StandardCharsets.UTF_8);
    assertThat(text.indexOf('\n')).as("one line").isEqualTo(text.length() - 1);
    assertThat(text).doesNotContain("\0");
    return Json.MAPPER.readTree(text);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anAnswerWithAByteOrderMarkOrInUtf16StillMakesAValidLine() {
    byte[] request = utf8("{\"model\":\"m\"}");
    String answer = "{\"id\":\"c1\",\"usage\":{\"total_tokens\":5}}";
    byte[] bom = new byte[utf8(answer).length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(utf8(answer), 0, bom, 3, bom.length - 3);

    assertThat(line(request, bom).path("response").asString()).contains("\"id\":\"c1\"");
    assertThat(line(request, answer.getBytes(StandardCharsets.UTF_16LE)).isObject()).isTrue();
  }

  @Test
  void anAnswerKeptAsAStringForItsSizeStillCountsItsUsage() {
    // Past the 8 MiB embedded as JSON: a string in the line, its usage read by a streaming pass.
    String pad = "x".repeat(9 * 1024 * 1024);
    byte[] big = utf8("{\"pad\":\"" + pad + "\",\"usage\":{\"prompt_tokens\":7}}");

    JsonNode node = line(utf8("{\"model\":\"m\"}"), big);

    assertThat(node.path("response").isString()).isTrue();
    assertThat(node.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
  }

  @Test
  void inputTokensSaturateInsteadOfWrappingBelowZero() {
    JsonNode usage =
        Json.MAPPER.readTree(
            "{\"input_tokens\":9223372036854775807,\"cache_read_input_tokens\":1}");
    assertThat(UsageTokens.counts(usage).input()).isEqualTo(Long.MAX_VALUE);
  }
}
