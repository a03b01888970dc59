package dev.llmrouter.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** server.max_body_bytes: 413 before reading, or as soon as a chunked body passes it. */
class BodyLimitTest {

  private static final int LIMIT = 2048;

  private FakeUpstream fake;
  private RouterHarness router;

  @BeforeEach
  void start() {
    fake = FakeUpstream.start();
    router =
        RouterHarness.builder()
            .maxBodyBytes(LIMIT)
            .openai("oa", fake)
            .anthropic("an", fake)
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    fake.close();
  }

  private static String bodyOf(int size) {
    String head = "{\"model\":\"m\",\"messages\":[],\"pad\":\"";
    return head + "x".repeat(size - head.length() - 2) + "\"}";
  }

  @Test
  void aBodyAtTheLimitIsServed() {
    HttpResponse<String> r = router.post("/openai/chat/completions", bodyOf(LIMIT));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void aLargerContentLengthGets413BeforeTheBodyIsSent() {
    // Only the head is sent: the answer must not wait for a body.
    RawHttp.Answer answer =
        RawHttp.exchange(
            router.router().port(),
            "POST /anthropic/v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + (LIMIT + 1)
                + "\r\n\r\n");

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.text()).contains("{\"type\":\"error\"").contains("request_too_large");
    assertThat(fake.requestCount()).isZero();
    assertThat(router.post("/openai/chat/completions", bodyOf(100)).statusCode()).isEqualTo(200);
  }

  @Test
  void aChunkedBodyIsCutOffAsSoonAsItPassesTheLimit() {
    String chunk = "x".repeat(1000);
    StringBuilder chunks = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      chunks
          .append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    // No last chunk: the body never ends, so a 413 can only come from the limit.
    RawHttp.Answer answer =
        RawHttp.exchange(
            router.router().port(),
            "POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + chunks);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.text()).contains("{\"error\"").contains("request_too_large");
    assertThat(fake.requestCount()).isZero();
  }
}
