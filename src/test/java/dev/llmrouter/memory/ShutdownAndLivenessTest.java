package dev.llmrouter.memory;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.ServedRouter;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work nobody waits for does not hold up a stop, and a router that lost a worker says so. */
class ShutdownAndLivenessTest {

  @TempDir Path dir;

  @Test
  void abortedUploadsDoNotDelayShutdown() throws Exception {
    try (FakeUpstream fake = FakeUpstream.start();
        ServedRouter router =
            ServedRouter.start(dir, HostileUpstreamMemoryTest.config(fake.baseUrl() + "/v1"))) {
      for (int i = 0; i < 3; i++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), router.port())) {
          OutputStream out = s.getOutputStream();
          out.write(
              ("POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } // closed with 99 bytes of the body never sent
      }
      assertThat(router.health()).isEqualTo(200);

      long start = System.nanoTime();
      int code = router.stop(Duration.ofSeconds(15));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(code).isIn(0, 143);
    }
  }

  @Test
  void healthStopsAnsweringOkWhenTheLogWriterHasDied() throws Exception {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      assertThat(router.get("/health").statusCode()).isEqualTo(200);
      assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(200);

      // The writer ends when interrupted: the stand-in for an error it could not survive. Writers
      // of routers closed by earlier tests have ended already; only this router's is alive.
      Thread writer =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("request-log-writer") && t.isAlive())
              .findFirst()
              .orElseThrow();
      writer.interrupt();
      writer.join(Duration.ofSeconds(5));

      HttpResponse<String> health = router.get("/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body())
          .contains("\"status\":\"unhealthy\"")
          .contains("the request log writer has stopped");
    }
  }
}
