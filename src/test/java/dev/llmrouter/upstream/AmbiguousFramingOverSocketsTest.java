package dev.llmrouter.upstream;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An answer whose headers give its length two ways is a broken answer, never a short success: the
 * JDK frames it by Content-Length, where the chunked encoding would win (RFC 9112 6.3).
 */
class AmbiguousFramingOverSocketsTest {

  /** A whole chat completion, chunked, under a Content-Length of 3: read by length it is "100". */
  @SuppressWarnings("StringConcatToTextBlock") // CR LF line ends, as on the wire
  private static final String CHUNKED_WITH_LENGTH =
      "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: 3\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n100\r\n%s\r\n0\r\n\r\n";

  private static final String TWO_LENGTHS =
      "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: 3\r\nContent-Length: 300\r\n\r\n"
          + "100%s";

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;

  @BeforeEach
  void start() {
    first = FakeUpstream.start();
    second = FakeUpstream.start();
    router =
        RouterHarness.builder()
            .openai(provider("first", first.baseUrl() + "/v1", Duration.ofSeconds(2), 0))
            .openai(provider("second", second.baseUrl() + "/v1", Duration.ofSeconds(2), 0))
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    first.close();
    second.close();
  }

  private static Reply raw(String shape, String contentType, String body) {
    String padded = (body + " ".repeat(256)).substring(0, 256); // the chunk's size, 0x100
    return Reply.raw(String.format(shape, contentType, padded).getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {CHUNKED_WITH_LENGTH, TWO_LENGTHS})
  void aWholeAnswerFallsBackAndIsLoggedBroken(String shape) {
    first.always(raw(shape, "application/json", "{\"id\":\"x\",\"choices\":[]}"));
    second.always(Reply.openAiOk("from second"));

    HttpResponse<String> r = router.post("/openai/chat/completions", OPENAI_CHAT);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("from second");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
    assertThat(router.closeAndReadLog().get(0))
        .contains("\"provider\":\"first\"")
        .contains("\"class\":\"broken\"")
        .contains("Content-Length");
  }

  @Test
  void aStreamFallsBackBeforeItsFirstByte() {
    // Read by its length, the answer is the chunk-size line (no SSE field) and a role chunk, then
    // its end: a stream that would commit, then break without [DONE].
    String event =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},"
            + "\"finish_reason\":null}]}\n\n";
    String size = Integer.toHexString(event.length());
    first.always(
        Reply.raw(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                    + (size.length() + 2 + event.length())
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + size
                    + "\r\n"
                    + event
                    + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8)));
    second.always(Reply.openAiOk("from second"));

    HttpResponse<String> r =
        router.post(
            "/openai/chat/completions", OPENAI_CHAT.replaceFirst("\\{", "{\"stream\":true,"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("from second").doesNotContain("\"error\"");
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
  }

  @Test
  void oneLengthSaidTwiceIsNoAmbiguity() {
    assertThat(BodyFraming.ambiguity(headers(Map.of("content-length", List.of("3, 3"))))).isNull();
    assertThat(BodyFraming.ambiguity(headers(Map.of("content-length", List.of("3", "3")))))
        .isNull();
    assertThat(BodyFraming.ambiguity(headers(Map.of("transfer-encoding", List.of("chunked")))))
        .isNull();
    assertThat(BodyFraming.ambiguity(headers(Map.of("content-length", List.of("3, 4")))))
        .isEqualTo("answer whose Content-Length is not one length");
    assertThat(BodyFraming.ambiguity(headers(Map.of("content-length", List.of("3,")))))
        .isEqualTo("answer whose Content-Length is not one length");
    assertThat(BodyFraming.ambiguity(headers(Map.of("transfer-encoding", List.of("Chunked ")))))
        .isNull();
    assertThat(
            BodyFraming.ambiguity(headers(Map.of("transfer-encoding", List.of("gzip, chunked")))))
        .isEqualTo("answer with a Transfer-Encoding other than chunked");
  }

  private static HttpHeaders headers(Map<String, List<String>> map) {
    return HttpHeaders.of(map, (name, value) -> true);
  }
}
