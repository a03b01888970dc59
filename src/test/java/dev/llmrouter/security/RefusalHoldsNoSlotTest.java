package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body is read holds no in-flight slot and its connection closes right
 * after the answer: 500 unauthenticated uploads that never send their body cannot lock out keyed
 * clients, however long they keep their sockets open.
 */
class RefusalHoldsNoSlotTest {

  private static final String GATEWAY_KEY = "gw-slot-test-key-0123456789";

  private static String unauthenticatedHead(String extra) {
    return "POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 100\r\n"
        + extra
        + "\r\n";
  }

  @Test
  void fiveHundredBodylessUnauthenticatedUploadsLeaveKeyedClientsServedAtOnce() throws Exception {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder()
                .apiKeys(GATEWAY_KEY)
                .maxInFlight(400)
                .openai("oa", fake)
                .start()) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 500; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), router.router().port());
          s.getOutputStream().write(unauthenticatedHead("").getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          held.add(s); // never sends its body, never closes
        }

        List<CompletableFuture<Integer>> keyed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          keyed.add(
              CompletableFuture.supplyAsync(
                  () ->
                      router
                          .post(CHAT, OPENAI_CHAT, "Authorization", "Bearer " + GATEWAY_KEY)
                          .statusCode()));
        }
        for (CompletableFuture<Integer> k : keyed) {
          assertThat(k.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        }

        // Each held socket got its 401 and was closed by the router, body or not.
        for (Socket s : held) {
          assertThat(readToClose(s, Duration.ofSeconds(5))).startsWith("HTTP/1.1 401");
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void expectContinueOnARefusedRequestGetsItsFinalAnswerWithoutTheBody() {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder().apiKeys(GATEWAY_KEY).openai("oa", fake).start()) {
      RawHttp.Answer answer =
          RawHttp.exchange(
              router.router().port(),
              unauthenticatedHead("Expect: 100-continue\r\n").getBytes(StandardCharsets.US_ASCII),
              RawHttp.Options.DEFAULT.readTimeout(Duration.ofSeconds(5)));

      // The JDK server sends "100 Continue" itself before any handler runs (README, Security);
      // the final 401 follows at once, and the connection closes without the body being sent.
      String finalAnswer =
          answer.text().replaceFirst("^HTTP/1.1 100 Continue\r\n[^\r]*\r\n\r\n", "");
      assertThat(finalAnswer).startsWith("HTTP/1.1 401");
      assertThat(answer.closed()).isTrue();
      assertThat(fake.requestCount()).isZero();
    }
  }

  private static final String CHAT = "/openai/chat/completions";

  /** Everything the server sends until it closes; fails if it is still open after {@code max}. */
  private static String readToClose(Socket s, Duration max) throws IOException {
    s.setSoTimeout((int) max.toMillis());
    InputStream in = s.getInputStream();
    StringBuilder text = new StringBuilder();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection still open after " + max + ": " + text, e);
    }
    return text.toString();
  }
}
