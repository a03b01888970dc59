package dev.llmrouter.testkit;

import static dev.llmrouter.testkit.FakeUpstreamFixture.WAIT;
import static dev.llmrouter.testkit.FakeUpstreamFixture.ofString;
import static dev.llmrouter.testkit.FakeUpstreamFixture.rawRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmrouter.testkit.FakeUpstreamFixture.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FakeUpstream} misbehaving on purpose: broken replies, delays and hangs, and close. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeUpstreamFaultsTest {

  @RegisterExtension final FakeUpstreamFixture fixture = new FakeUpstreamFixture();
  private final FakeUpstream fake = fixture.fake;
  private final HttpClient client = fixture.client;

  // ---------------------------------------------------------------- failures

  @Test
  void resetMakesTheClientFailWithIoException() {
    fake.enqueue(Reply.reset());

    assertThatThrownBy(() -> client.send(fixture.post("/", "{}").build(), ofString()))
        .isInstanceOf(IOException.class);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void truncatedBodyMakesTheClientFailWithIoException() throws Exception {
    String body = "{\"id\":\"chatcmpl-1\",\"choices\":[]}";
    fake.enqueue(Reply.truncated(200, body, 10), Reply.truncated(200, body, 10));

    assertThatThrownBy(
            () ->
                client.send(
                    fixture.post("/", "{}").build(), HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);

    try (Socket s = fixture.rawSocket()) {
      s.getOutputStream().write(rawRequest("POST /", "", "{}"));
      InputStream in = s.getInputStream();
      Map<String, String> headers = RawResponse.readHead(in).headers;
      assertThat(headers.get("content-length")).isEqualTo(Integer.toString(body.length()));
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(body.substring(0, 10));
    }
  }

  @Test
  void rawBytesAreWrittenVerbatimThenTheConnectionCloses() throws Exception {
    byte[] bytes =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".getBytes(StandardCharsets.ISO_8859_1);
    fake.enqueue(Reply.raw(bytes));
    try (Socket s = fixture.rawSocket()) {
      s.getOutputStream().write(rawRequest("GET /", "", ""));
      assertThat(s.getInputStream().readAllBytes()).isEqualTo(bytes);
    }
  }

  // ---------------------------------------------------------------- time and holding

  @Test
  void delayedReplyArrivesNoSoonerThanTheDelay() throws Exception {
    Duration delay = Duration.ofMillis(300);
    fake.enqueue(Reply.json(200, "late").delayed(delay));

    long start = System.nanoTime();
    HttpResponse<String> resp = client.send(fixture.post("/", "").build(), ofString());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(resp.body()).isEqualTo("late");
    assertThat(elapsed).isGreaterThanOrEqualTo(delay).isLessThan(WAIT);
  }

  @Test
  void closeCutsADelayShort() throws Exception {
    fake.enqueue(Reply.json(200, "never").delayed(Duration.ofMinutes(5)));
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(fixture.post("/", "").build(), ofString());
    fake.awaitRequest(1, WAIT);

    fake.close();

    assertFailsWithIoException(pending);
  }

  @Test
  void hangIsRecordedThenReleasedByClose() throws Exception {
    fake.enqueue(Reply.hang());
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(fixture.post("/hang", "q").build(), ofString());

    Received r = fake.awaitRequest(1, WAIT);

    assertThat(r.target()).isEqualTo("/hang");
    assertThat(r.bodyText()).isEqualTo("q");
    assertThat(pending).isNotDone();
    fake.close();
    fake.close(); // idempotent
    assertFailsWithIoException(pending);
    assertThat(fake.liveThreads()).isZero();
  }

  @Test
  void awaitClientGoneSeesTheClientLeaveAHang() throws Exception {
    fake.enqueue(Reply.hang());
    assertThat(fake.awaitClientGone(Duration.ofMillis(50))).isFalse();

    try (Socket s = fixture.rawSocket()) {
      s.getOutputStream().write(rawRequest("POST /", "", "{}"));
      fake.awaitRequest(1, WAIT);
    }

    assertThat(fake.awaitClientGone(WAIT)).isTrue();
  }

  @Test
  void awaitRequestFailsAfterItsTimeout() {
    assertThatThrownBy(() -> fake.awaitRequest(1, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("request #1");
  }

  private static void assertFailsWithIoException(CompletableFuture<?> pending) {
    assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
  }
}
