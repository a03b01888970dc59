package dev.llmrouter.memory;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A client that disconnects while its non-streaming request waits for the upstream cancels the
 * upstream call at once, frees its in-flight slot and is logged as closed by the client.
 */
class ClientGoneTest {

  @Test
  void aClientThatLeavesCancelsTheUpstreamCallAndFreesItsSlot() throws Exception {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().maxInFlight(1).openai("oa", fake).start()) {
      fake.enqueue(Reply.hang()); // the first request waits forever upstream
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), router.router().port())) {
        OutputStream out = s.getOutputStream();
        out.write(
            ("POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: "
                    + OPENAI_CHAT.length()
                    + "\r\n\r\n"
                    + OPENAI_CHAT)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        fake.awaitRequest(1, Duration.ofSeconds(5));
      } // the client gives up and closes

      assertThat(fake.awaitClientGone(Duration.ofSeconds(3)))
          .as("the upstream call is cancelled when the client leaves")
          .isTrue();
      // Its slot (the only one) is free again within moments: the next request is served.
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      int status = router.post("/openai/chat/completions", OPENAI_CHAT).statusCode();
      while (status == 503 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        status = router.post("/openai/chat/completions", OPENAI_CHAT).statusCode();
      }
      assertThat(status).isEqualTo(200);

      List<String> log = router.closeAndReadLog();
      JsonNode gone =
          log.stream()
              .map(Json.MAPPER::readTree)
              .filter(r -> r.path("status").asInt() == 499)
              .findFirst()
              .orElseThrow();
      assertThat(gone.path("error").asString()).isEqualTo("client closed the connection");
    }
  }

  /**
   * A request slow enough to be watched hands its connection back as it was: the same connection
   * carries the next request.
   */
  @Test
  void aWatchedConnectionCarriesTheNextRequest() throws Exception {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      fake.always(Reply.openAiOk().delayed(Duration.ofMillis(300)));
      String request =
          "POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nContent-Length: "
              + OPENAI_CHAT.length()
              + "\r\n\r\n"
              + OPENAI_CHAT;
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), router.router().port())) {
        s.setSoTimeout(10_000);
        for (int i = 0; i < 3; i++) {
          s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          String head = readResponse(s.getInputStream());
          assertThat(head)
              .startsWith("HTTP/1.1 200")
              .doesNotContainIgnoringCase("connection: close");
        }
      }
      assertThat(fake.requestCount()).isEqualTo(3);
    }
  }

  /** Reads one response (head and Content-Length body); returns its head. */
  private static String readResponse(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed after: " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
    assertThat(m.find()).isTrue();
    assertThat(in.readNBytes(Integer.parseInt(m.group(1)))).hasSize(Integer.parseInt(m.group(1)));
    return head.toString();
  }
}
