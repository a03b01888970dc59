package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Every record is exactly one line of JSON, whatever the bodies are: JSON bodies are embedded as
 * compacted values, anything else as a string; the response's top-level usage is copied beside it.
 */
class RecordSerializerTest {

  private static final String SECRET = "sk-secret-0123456789abcdef";
  private final RecordSerializer serializer = new RecordSerializer(new Redactor(List.of(SECRET)));

  private static RequestRecord record(byte[] request, byte[] response) {
    return record(request, response, false);
  }

  /**
   * A non-streamed 200 with both bodies; {@code knownJson}: proven JSON, as the router marks it.
   */
  static RequestRecord record(byte[] request, byte[] response, boolean knownJson) {
    return record(request, response, knownJson, knownJson ? BodyShape.JSON : BodyShape.UNCHECKED);
  }

  private static RequestRecord record(
      byte[] request, byte[] response, boolean requestIsJson, BodyShape shape) {
    return new RequestRecord(
        "req_1",
        0,
        1500,
        "openai",
        "POST",
        "/openai/chat/completions",
        "gpt-4o-mini",
        false,
        200,
        "p",
        List.of(),
        request,
        response,
        requestIsJson,
        shape,
        null,
        null,
        null,
        64L << 20,
        null);
  }

  private JsonNode line(byte[] request, byte[] response) {
    byte[] line = serializer.line(record(request, response));
    String text = new String(line, StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    assertThat(text.indexOf('\n')).as("one line: %s", text).isEqualTo(text.length() - 1);
    JsonNode node = Json.MAPPER.readTree(text);
    assertThat(node.isObject()).isTrue();
    return node;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void prettyPrintedBodiesAreCompactedAndUsageIsCopiedBesideTheResponse() {
    JsonNode node =
        line(
            utf8("{\n  \"model\": \"gpt-4o-mini\",\n  \"messages\": []\n}"),
            utf8(
                "{\n \"id\": \"c1\",\n \"usage\": {\"prompt_tokens\": 3,\n \"total_tokens\": 5},"
                    + "\n \"choices\": [{\"index\": 0}]\n}"));

    assertThat(node.get("request").get("model").asString()).isEqualTo("gpt-4o-mini");
    assertThat(node.get("response").get("id").asString()).isEqualTo("c1");
    assertThat(node.get("response").get("choices").get(0).get("index").asInt()).isZero();
    assertThat(node.get("usage").get("total_tokens").asInt()).isEqualTo(5);
    assertThat(node.get("response").get("usage")).isEqualTo(node.get("usage"));
    // The fields after the embedded bodies are still in place (separators right).
    assertThat(node.get("request_id").asString()).isEqualTo("req_1");
  }

  @Test
  void bodiesKnownToBeJsonAreCopiedAsTheyAreWhenOnOneLineAndStillCompactedWhenNot() {
    byte[] request = utf8("{\"model\": \"gpt-4o-mini\", \"messages\": []}");
    byte[] response =
        utf8("{\"id\":\"c1\",\"usage\":{\"total_tokens\":5},\"text\":\"" + SECRET + "\"}");
    String text =
        new String(serializer.line(record(request, response, true)), StandardCharsets.UTF_8);

    // Copied byte for byte (the space after the colons stays), then redacted with the line.
    assertThat(text).contains("\"request\":{\"model\": \"gpt-4o-mini\", \"messages\": []}");
    assertThat(text).contains("\"response\":{\"id\":\"c1\"").doesNotContain(SECRET);
    JsonNode node = Json.MAPPER.readTree(text);
    assertThat(node.get("usage").get("total_tokens").asInt()).isEqualTo(5);
    assertThat(node.get("request_id").asString()).isEqualTo("req_1");
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);

    byte[] pretty = utf8("{\n  \"id\": \"c2\",\r\n  \"usage\": {\"total_tokens\": 7}\n}");
    String compacted =
        new String(serializer.line(record(request, pretty, true)), StandardCharsets.UTF_8);
    assertThat(compacted.indexOf('\n')).isEqualTo(compacted.length() - 1);
    assertThat(Json.MAPPER.readTree(compacted).get("usage").get("total_tokens").asInt())
        .isEqualTo(7);
  }

  @Test
  void anEmbeddingsAnswerKeepsEverythingButItsVectorsWhichItReplacesByTheirSize() {
    byte[] request = utf8("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}");
    String base64 = "A".repeat(8188) + "ZZ==";
    byte[] response =
        utf8(
            "{\"object\": \"list\",\n \"data\": [{\"object\": \"embedding\", \"index\": 0,"
                + " \"embedding\": \""
                + base64
                + "\"}, {\"object\": \"embedding\", \"index\": 1, \"embedding\": [0.1, -2e-3,"
                + " 3, [4]]}],\n \"model\": \"text-embedding-3-small\", \"usage\":"
                + " {\"prompt_tokens\": 2, \"total_tokens\": 2}}");

    String text =
        new String(
            serializer.line(record(request, response, true, BodyShape.EMBEDDINGS)),
            StandardCharsets.UTF_8);

    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    assertThat(text).doesNotContain("AAAA").doesNotContain("0.1");
    JsonNode node = Json.MAPPER.readTree(text);
    JsonNode data = node.get("response").get("data");
    assertThat(data.get(0).get("embedding").asString())
        .isEqualTo("<not logged: 8192 characters of base64>");
    assertThat(data.get(1).get("embedding").asString()).isEqualTo("<not logged: 4 numbers>");
    assertThat(data.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(data.get(0).get("object").asString()).isEqualTo("embedding");
    assertThat(node.get("response").get("model").asString()).isEqualTo("text-embedding-3-small");
    assertThat(node.get("usage").get("prompt_tokens").asInt()).isEqualTo(2);
    assertThat(node.get("request").get("input").get(1).asString()).isEqualTo("b");

    // A batch past the 8 MiB that other JSON bodies are embedded up to: still without its vectors.
    StringBuilder batch = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < 1100; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"embedding\" : \"");
      batch.append(base64).append("\" ,\n \"index\":").append(i).append('}');
    }
    byte[] large = utf8(batch.append("],\"usage\":{\"prompt_tokens\":1100}}").toString());
    assertThat(large.length).isGreaterThan(9_000_000);
    String batchLine =
        new String(
            serializer.line(record(request, large, true, BodyShape.EMBEDDINGS)),
            StandardCharsets.UTF_8);
    assertThat(batchLine.length()).isLessThan(150_000);
    JsonNode batchNode = Json.MAPPER.readTree(batchLine);
    assertThat(batchNode.get("response").get("data").size()).isEqualTo(1100);
    assertThat(batchNode.get("response").get("data").get(1099).get("embedding").asString())
        .isEqualTo("<not logged: 8192 characters of base64>");
    assertThat(batchNode.get("response").get("data").get(1099).get("index").asInt())
        .isEqualTo(1099);
    assertThat(batchNode.get("usage").get("prompt_tokens").asInt()).isEqualTo(1100);

    // The same answer of any other route is kept whole.
    String whole =
        new String(
            serializer.line(record(request, response, true, BodyShape.JSON)),
            StandardCharsets.UTF_8);
    assertThat(whole).contains(base64).contains("0.1");
  }

  /** The parser's line count decides: a lone CR, a trailing LF and a LF in an array all count. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"c3\",\r\"usage\":{\"total_tokens\":7}}",
        "{\"id\":\"c3\",\"usage\":{\"total_tokens\":7}}\n",
        "{\"id\":\"c3\",\"data\":[1,\n2],\"usage\":{\"total_tokens\":7}}"
      })
  void aResponseKnownToBeJsonWithAnyLineBreakIsCompacted(String response) {
    byte[] request = utf8("{\"model\":\"gpt-4o-mini\"}");
    String text =
        new String(serializer.line(record(request, utf8(response), true)), StandardCharsets.UTF_8);

    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    assertThat(text).doesNotContain("\r");
    JsonNode node = Json.MAPPER.readTree(text);
    assertThat(node.get("response").get("id").asString()).isEqualTo("c3");
    assertThat(node.get("usage").get("total_tokens").asInt()).isEqualTo(7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "[1, 2, {\"a\": null}]", "null", "\"text\"", "true"})
  void jsonValuesThatAreNotObjectsAreEmbeddedAsValues(String body) {
    JsonNode node = line(utf8(body), utf8(body));

    assertThat(node.get("request")).isEqualTo(Json.MAPPER.readTree(body));
    assertThat(node.get("response")).isEqualTo(Json.MAPPER.readTree(body));
    assertThat(node.has("usage")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{} {}", "{\"a\": 1", "not json\nat all", "", "{\"a\": 1} trailing"})
  void bodiesThatAreNotOneJsonValueAreEmbeddedAsStrings(String body) {
    JsonNode node = line(utf8(body), utf8(body));

    assertThat(node.get("request").asString()).isEqualTo(body);
    assertThat(node.get("response").asString()).isEqualTo(body);
  }

  @Test
  void invalidUtf8IsEmbeddedAsAStringAndTheLineStaysValid() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    JsonNode node = line(body, null);

    assertThat(node.get("request").isString()).isTrue();
    assertThat(node.get("response").isNull()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "C0 80", // overlong NUL
        "E0 80 AF", // overlong '/'
        "ED A0 80", // a surrogate half
        "F4 90 80 80", // past U+10FFFF
        "F5 80 80 80", // no such lead byte
        "E2 82", // cut short before the closing quote
      })
  void malformedUtf8ThatJacksonSkipsOverStillLeavesAStrictlyValidLine(String hex) throws Exception {
    byte[] body = withBytes("{\"model\":\"m\",\"input\":\"a", hex, "z\"}");

    for (BodyShape shape : List.of(BodyShape.JSON, BodyShape.UNCHECKED, BodyShape.EMBEDDINGS)) {
      byte[] line = serializer.line(record(body, body, shape == BodyShape.JSON, shape));
      JsonNode node = Json.MAPPER.readTree(strictlyDecoded(line));
      for (String field : List.of("request", "response")) {
        assertThat(node.get(field).isString()).as(shape + " " + field).isTrue();
        assertThat(node.get(field).asString()).contains("\uFFFD").endsWith("z\"}");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"C0 80", "ED A0 80", "F5 80 80 80", "E2 82"})
  void malformedUtf8InsideAUsageNeverReachesTheLine(String hex) throws Exception {
    byte[] body = withBytes("{\"usage\":{\"prompt_tokens\":3,\"note\":\"a", hex, "z\"},\"id\":1}");

    for (boolean withBodies : List.of(true, false)) {
      byte[] line = serializer.line(record(utf8("{}"), body, true, BodyShape.JSON), withBodies);
      assertThat(Json.MAPPER.readTree(strictlyDecoded(line)).path("request_id").isString())
          .isTrue();
    }
    // Counted all the same (the counts are numbers, read without decoding the strings), except
    // where the bytes swallow the string's closing quote ("E2 82"): no JSON at all then.
    UsageTokens.Counts counted =
        serializer.write(
            record(utf8("{}"), body, true, BodyShape.JSON), false, OutputStream.nullOutputStream());
    assertThat(counted).isEqualTo(hex.equals("E2 82") ? null : new UsageTokens.Counts(3, 0));
  }

  @Test
  void theUsageOfAnAnswerWithAByteOrderMarkOrInUtf16IsCountedWhole() {
    String answer = "{\"id\":\"c1\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}";
    byte[] bom = withBytes("", "EF BB BF", answer);
    byte[] wide = answer.getBytes(StandardCharsets.UTF_16BE);

    for (byte[] body : List.of(bom, wide)) {
      for (boolean withBodies : List.of(true, false)) {
        String text =
            new String(
                serializer.line(record(utf8("{}"), body, true, BodyShape.JSON), withBodies),
                StandardCharsets.UTF_8);
        JsonNode usage = Json.MAPPER.readTree(text).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).as(text).isEqualTo(3);
        assertThat(usage.path("completion_tokens").asInt()).as(text).isEqualTo(4);
      }
    }
  }

  /** {@code before}, the bytes {@code hex} spells, then {@code after}. */
  private static byte[] withBytes(String before, String hex, String after) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(utf8(before));
    b.writeBytes(java.util.HexFormat.ofDelimiter(" ").parseHex(hex));
    b.writeBytes(utf8(after));
    return b.toByteArray();
  }

  /** The line as text; throws on any malformed byte. */
  private static String strictlyDecoded(byte[] line) throws Exception {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .decode(java.nio.ByteBuffer.wrap(line))
        .toString();
  }

  @Test
  void anAnswersUsageIsCopiedIntoTheLineAsItIs() {
    String usage =
        "{\"prompt_tokens\":27,\"completion_tokens\":10,\"total_tokens\":37,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0}}";
    byte[] answer = utf8("{\"id\":\"c1\",\"choices\":[],\"usage\":" + usage + ",\"x\":1}");

    for (boolean withBodies : List.of(true, false)) {
      String text =
          new String(
              serializer.line(record(utf8("{}"), answer, true, BodyShape.JSON), withBodies),
              StandardCharsets.UTF_8);
      assertThat(text).contains("\"usage\":" + usage);
    }
  }

  @Test
  void aBodyOverTheLogLimitIsKeptAsAStringOfTheLimitAndMarkedTruncated() {
    byte[] big =
        ("{\"pad\":\"" + "x".repeat(70 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

    JsonNode node = line("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), big);

    assertThat(node.path("truncated").asBoolean()).isTrue();
    assertThat(node.path("response").isString()).isTrue();
    // Cut inside a run of key characters: backed off, so that no part of a key stays.
    assertThat(node.path("response").asString())
        .hasSize((64 << 20) - Redactor.MAX_BACKOFF)
        .startsWith("{\"pad\":\"xxx");
    assertThat(node.path("request").isObject()).as("the small body stays JSON").isTrue();
  }

  @Test
  void aSecretInsideUsageOrBodiesIsRedactedEverywhere() {
    JsonNode node =
        line(
            utf8("{\"key\": \"" + SECRET + "\"}"),
            utf8("{\"usage\": {\"note\": \"" + SECRET + "\"}, \"error\": \"" + SECRET + "\"}"));

    assertThat(node.toString()).doesNotContain(SECRET).contains(Redactor.REDACTED);
    assertThat(node.get("usage").get("note").asString()).isEqualTo(Redactor.REDACTED);
  }

  private JsonNode lineWithoutBodies(byte[] request, byte[] response) {
    String text =
        new String(serializer.line(record(request, response), false), StandardCharsets.UTF_8);
    assertThat(text.indexOf('\n')).as("one line: %s", text).isEqualTo(text.length() - 1);
    return Json.MAPPER.readTree(text);
  }

  @Test
  void withoutBodiesTheLineKeepsTheResponsesUsageAndNoText() {
    JsonNode node =
        lineWithoutBodies(
            utf8("{\"messages\": [{\"content\": \"the prompt\"}]}"),
            utf8(
                "{\"choices\": [{\"message\": {\"content\": \"the answer\"}}],"
                    + " \"usage\": {\"prompt_tokens\": 3, \"total_tokens\": 5}, \"id\": \"c1\"}"));

    assertThat(node.has("request")).isFalse();
    assertThat(node.has("response")).isFalse();
    assertThat(node.toString()).doesNotContain("the prompt").doesNotContain("the answer");
    assertThat(node.get("usage"))
        .isEqualTo(Json.MAPPER.readTree("{\"prompt_tokens\": 3, \"total_tokens\": 5}"));
    assertThat(node.get("request_id").asString()).isEqualTo("req_1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"usage\": {\"total_tokens\": 5}} trailing",
        "{\"usage\": {\"total_tokens\": 5}",
        "[{\"usage\": {\"total_tokens\": 5}}]",
        "{\"usage\": 5}",
        "not json"
      })
  void withoutBodiesAResponseThatIsNotOneJsonObjectGivesNoUsage(String body) {
    JsonNode node = lineWithoutBodies(utf8("{}"), utf8(body));

    assertThat(node.has("usage")).isFalse();
    assertThat(node.has("response")).isFalse();
  }
}
