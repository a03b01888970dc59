package dev.llmrouter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestFieldsTest {

  private static RequestFields read(String body) throws RequestFields.InvalidBody {
    return RequestFields.read(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsModelAndStreamSkippingEverythingElse() throws Exception {
    RequestFields f =
        read(
            "{\"messages\":[{\"role\":\"user\",\"content\":{\"model\":\"nested\"}}],"
                + "\"model\":\"gpt-4o\",\"stream\":true,\"n\":1}");
    assertThat(f.model()).isEqualTo("gpt-4o");
    assertThat(f.stream()).isTrue();
  }

  @Test
  void findsTheTopLevelModelValueToRewriteAndNoNestedOne() throws Exception {
    String body =
        "{\"metadata\":{\"model\":\"gpt-4o\"},\"messages\":[{\"model\":\"gpt-4o\"}],"
            + " \"model\" : \"gpt\\u002d4o\" ,\"x\":\"é\"}";
    RequestFields f = read(body);

    assertThat(f.model()).isEqualTo("gpt-4o");
    byte[] sent = f.modelRewrite().apply(body.getBytes(StandardCharsets.UTF_8), "openai/gpt-4o");
    assertThat(new String(sent, StandardCharsets.UTF_8))
        .isEqualTo(body.replace("\"gpt\\u002d4o\"", "\"openai/gpt-4o\""));
  }

  @Test
  void jsonPastTheParsersLimitsIsSaidToBeSoNotInvalid() {
    String deep = "{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}";
    String longNumber = "{\"a\":" + "1".repeat(1200) + "}";

    assertThatThrownBy(() -> RequestFields.read(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RequestFields.InvalidBody.class)
        .hasMessage(
            "The request body passes a limit of the router's JSON parser: Document nesting depth"
                + " (501) exceeds the maximum allowed (500).");
    assertThatThrownBy(() -> RequestFields.read(longNumber.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("Number value length (1200) exceeds the maximum allowed (1000)");
  }

  @Test
  void aByteOrderMarkIsRefusedThoughJacksonWouldReadPastIt() {
    byte[] json = "{\"model\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    byte[] marked = new byte[json.length + 3];
    marked[0] = (byte) 0xEF;
    marked[1] = (byte) 0xBB;
    marked[2] = (byte) 0xBF;
    System.arraycopy(json, 0, marked, 3, json.length);

    assertThatThrownBy(() -> RequestFields.read(marked))
        .isInstanceOf(RequestFields.InvalidBody.class)
        .hasMessageContaining("byte order mark");
  }

  @Test
  void utf16AndUtf32BodiesAreRefusedThoughJacksonWouldGuessAndReadThem() {
    String json = " {\"model\":\"gpt-4o\",\"input\":\"hi\"}";
    for (java.nio.charset.Charset cs :
        List.of(
            StandardCharsets.UTF_16, // with its byte-order mark
            StandardCharsets.UTF_16BE,
            StandardCharsets.UTF_16LE,
            java.nio.charset.Charset.forName("UTF-32BE"),
            java.nio.charset.Charset.forName("UTF-32LE"))) {
      assertThatThrownBy(() -> RequestFields.read(json.getBytes(cs)))
          .as(cs.name())
          .isInstanceOf(RequestFields.InvalidBody.class)
          .hasMessageContaining("not UTF-8");
    }
  }

  @Test
  void anIncludeUsageOfAnyKindIsReadPastAndTheRestOfTheBodyStillCounts() throws Exception {
    for (String value : List.of("{}", "[1,{\"a\":[]}]", "\"yes\"", "true")) {
      RequestFields f =
          RequestFields.read(
              ("{\"stream_options\":{\"include_usage\":"
                      + value
                      + ",\"x\":1},\"model\":\"m\",\"stream\":true}")
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(f.model()).as(value).isEqualTo("m");
      assertThat(f.stream()).isTrue();
      assertThat(f.includeUsage()).isEqualTo(value.equals("true"));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"model":"a","model":"b"}                                        | model
          {"model":"a","stream":false,"x":1,"stream":true}                 | stream
          {"model":"a","previous_response_id":"r1","previous_response_id":"r2"} | previous_response_id
          {"model":"a","stream_options":{},"stream_options":{"include_usage":true}} | stream_options
          """)
  void aSecondTopLevelRoutingFieldIsRefusedAsAmbiguous(String body, String field) {
    assertThatThrownBy(() -> read(body))
        .isInstanceOf(RequestFields.InvalidBody.class)
        .hasMessage("The request body has more than one '" + field + "' field.");
  }

  @Test
  void aModelThatIsNotAStringIsNoModel() throws Exception {
    RequestFields f = read("{\"model\":{\"id\":\"x\"}}");
    assertThat(f.model()).isNull();
    assertThat(f.modelRewrite()).isNull();
  }

  @Test
  void absentFieldsMeanNoModelAndNoStream() throws Exception {
    RequestFields f = read("{\"stream\":null}");
    assertThat(f.model()).isNull();
    assertThat(f.stream()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "[1,2]", "\"text\"", "42", "{\"model\":", "{\"a\":1} trailing", "{bad}"})
  void rejectsWhatIsNotOneJsonObject(String body) {
    assertThatThrownBy(() -> read(body)).isInstanceOf(RequestFields.InvalidBody.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"true\"", "1", "{}"})
  void rejectsNonBooleanStream(String value) {
    assertThatThrownBy(() -> read("{\"stream\":" + value + "}"))
        .isInstanceOf(RequestFields.InvalidBody.class)
        .hasMessageContaining("stream");
  }
}
