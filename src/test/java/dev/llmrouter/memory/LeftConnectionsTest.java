package dev.llmrouter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ServedRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that leaves before its answer ended must cost the server nothing afterwards. The JDK
 * server forgets a connection when the answer's stream was closed after its last byte or the
 * handler threw; a handler that returned quietly after a failed fixed-length write, or without any
 * answer, left the connection (with about 33 KB of buffers) in the server's sets for good. The
 * JDK's own connection limit counts those sets: with {@code jdk.httpserver.maxConnections} at 3, a
 * fourth left connection made the server refuse every new one, which is what these tests look for.
 * (A stream's chunked answer was always forgotten, even when its last chunk failed: that test
 * guards the relay's way of ending.)
 */
class LeftConnectionsTest {

  static final String CHAT = "/openai/chat/completions";
  static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String STREAMING = BODY.replace("{\"model\"", "{\"stream\":true,\"model\"");

  /** More than the connection limit below: a leak of each would lock the server out. */
  static final int LEFT = 5;

  @TempDir Path dir;
  FakeUpstream fake;
  ServedRouter router;

  @BeforeEach
  void start() {
    fake = FakeUpstream.start();
    router =
        ServedRouter.start(
            dir,
            """
            {"server": {"port": 0, "max_response_bytes": 33554432}, "logging": {"dir": "logs"},
             "openai": [{"name": "up", "api_key": "sk-test-up-0123456789",
                         "base_url": "%s/v1", "max_retries": 0, "timeout": 30}]}
            """
                .formatted(fake.baseUrl()),
            "-Djdk.httpserver.maxConnections=3");
  }

  @AfterEach
  void stop() {
    router.close();
    fake.close();
  }

  @Test
  void clientsThatLeaveWhileTheUpstreamThinksAreForgotten() throws IOException {
    for (int i = 1; i <= LEFT; i++) {
      fake.enqueue(Reply.hang());
      Socket s = send(BODY);
      try {
        fake.awaitRequest(i, Duration.ofSeconds(10));
      } finally {
        s.close(); // the client gives up before any answer
      }
      awaitLogged(i, "\"status\":499");
    }
    assertServes();
  }

  @Test
  void clientsThatLeaveMidStreamAreForgotten() throws IOException {
    fake.always(Reply.endlessSse("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}"));
    for (int i = 1; i <= LEFT; i++) {
      try (Socket s = send(STREAMING)) {
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(12);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
      } // the client leaves while events still flow
      awaitLogged(i, "\"end\":\"client_cancelled\"");
    }
    fake.always(Reply.openAiOk());
    assertServes();
  }

  @Test
  void clientsThatLeaveWhileAWholeAnswerIsWrittenAreForgotten() throws IOException {
    // 16 MB: more than the sockets' buffers hold, so the router is still writing when the client's
    // reset arrives and its next write fails.
    fake.always(Reply.json(200, "{\"x\":\"" + "x".repeat(16 << 20) + "\"}"));
    for (int i = 1; i <= LEFT; i++) {
      try (Socket s = send(BODY)) {
        byte[] head = s.getInputStream().readNBytes(12);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
      } // the client leaves with most of the answer unread
      awaitLogged(i, "\"status\":200");
    }
    fake.always(Reply.openAiOk());
    assertServes();
  }

  private Socket send(String body) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), router.port());
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST "
                + CHAT
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  /** Waits (bounded) until the log has {@code n} records containing {@code text}. */
  private void awaitLogged(int n, String text) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (router.logLines().stream().filter(l -> l.contains(text)).count() < n) {
      assertThat(System.nanoTime() < deadline)
          .as("record %d with %s; log: %s; %s", n, text, router.logLines(), router.describe())
          .isTrue();
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  /** A new connection is still accepted and served, and so is the next. */
  private void assertServes() {
    for (int i = 0; i < 2; i++) {
      assertThat(router.post(CHAT, BODY, Duration.ofSeconds(10)))
          .as("a request after %d clients left; %s", LEFT, router.describe())
          .isEqualTo(200);
    }
  }
}
