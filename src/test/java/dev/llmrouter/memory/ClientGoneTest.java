package dev.llmrouter.memory;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
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
      // The provider was called (and may bill for it): the attempt is in the record.
      assertThat(gone.path("attempts")).hasSize(1);
      assertThat(gone.path("attempts").get(0).path("provider").asString()).isEqualTo("oa");
      assertThat(gone.path("attempts").get(0).path("action").asString()).isEqualTo("cancelled");
    }
  }

  /**
   * A client that resets its model-list request while the router fetches the upstream's list: the
   * request is still logged, and the memory the fetched list held goes back to the budget (it came
   * back only with the record, and a lost record kept it for good: every later list came back empty
   * and large bodies got 503).
   */
  @Test
  void aModelListWhoseClientLeftIsLoggedAndGivesItsMemoryBack() throws Exception {
    StringBuilder list = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < 36_000; i++) {
      list.append(i == 0 ? "" : ",").append("{\"id\":\"model-").append(i).append("\"}");
    }
    String big = list.append("]}").toString(); // about 750 KB, of a 1 MiB budget
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder().maxBufferedBytes(1024 * 1024).openai("oa", fake).start()) {
      fake.always(Reply.json(200, big).delayed(Duration.ofMillis(300)));
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), router.router().port())) {
        s.getOutputStream()
            .write(
                "GET /openai/v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        fake.awaitRequest(1, Duration.ofSeconds(5));
        s.setSoLinger(true, 0); // a reset: the router's write of the list fails
      }

      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int listed;
      do {
        listed = Json.MAPPER.readTree(router.get("/openai/v1/models").body()).path("data").size();
      } while (listed < 36_000 && System.nanoTime() < deadline);
      assertThat(listed).as("the list fits in the budget again").isEqualTo(36_000);
      assertThat(router.closeAndReadLog())
          .map(Json.MAPPER::readTree)
          .anyMatch(
              r ->
                  r.path("path").asString().equals("/openai/v1/models")
                      && r.path("status").asInt() == 499);
    }
  }

  /**
   * A client that stops reading its stream (a suspended process: its receive window stays shut) is
   * cut once a write has taken no byte for the provider's stream_idle_timeout: its in-flight slot
   * is free again, and its record says the client cancelled. The JDK server has no write timeout of
   * its own: the slot stayed taken for as long as the client kept the connection.
   */
  @Test
  void aStreamWhoseClientStoppedReadingIsCutAndFreesItsSlot() throws Exception {
    String event =
        "data: " + Json.MAPPER.writeValueAsString(java.util.Map.of("pad", "x".repeat(4096)));
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder()
                .maxInFlight(1)
                .openai(
                    new ProviderConfig(
                        "oa",
                        "sk-test-0123456789",
                        1,
                        URI.create(fake.baseUrl() + "/v1"),
                        Duration.ofSeconds(10),
                        0,
                        Duration.ofSeconds(1),
                        1))
                .start()) {
      fake.enqueue(Reply.endlessSse(event));
      String body = OPENAI_CHAT.replace("{", "{\"stream\":true,");
      try (Socket s = new Socket()) {
        s.setReceiveBufferSize(4096); // before connecting: the window the client offers
        s.connect(
            new java.net.InetSocketAddress(
                InetAddress.getLoopbackAddress(), router.router().port()));
        s.getOutputStream()
            .write(
                ("POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body)
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        fake.awaitRequest(1, Duration.ofSeconds(5));
        // Never read; the connection stays open while the router must give the slot back.
        fake.always(Reply.openAiOk());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status;
        do {
          status = router.post("/openai/chat/completions", OPENAI_CHAT).statusCode();
        } while (status == 503 && System.nanoTime() < deadline);
        assertThat(status)
            .as("the slot is free while the stalled client is still connected")
            .isEqualTo(200);
      }
      assertThat(router.closeAndReadLog())
          .map(Json.MAPPER::readTree)
          .anyMatch(
              r -> r.path("stream_result").path("end").asString("").equals("client_cancelled"));
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
