package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.ConsoleCapture;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Clients cannot forge console lines, and a chunked body with trailer fields is served. */
class CleanConsoleAndParsingTest {

  @Test
  void aModelNameCannotForgeOrFloodTheConsole() {
    try (ConsoleCapture console = ConsoleCapture.start();
        FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      String forged = "gpt\\n2026-01-01 00:00:00 INFO 200 openai /forged\\u001b[2J";
      HttpResponse<String> first =
          router.post("/openai/chat/completions", OPENAI_CHAT.replace("gpt-4o-mini", forged));
      HttpResponse<String> huge =
          router.post(
              "/openai/chat/completions",
              OPENAI_CHAT.replace("gpt-4o-mini", "m".repeat(30 * 1024 * 1024)));

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(huge.statusCode()).isEqualTo(200);
      String line = console.await("model=gpt", Duration.ofSeconds(20));
      assertThat(line)
          .contains("model=gpt\\n2026-01-01 00:00:00 INFO 200 openai /forged\\u001b[2J")
          .doesNotContain("\n")
          .doesNotContain("\u001b");
      String flood = console.await("model=mmm", Duration.ofSeconds(20));
      assertThat(flood.length()).isLessThan(400);
    }
  }

  @Test
  void aChunkedBodyWithTrailerFieldsIsServedAndItsTrailersIgnored() {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      String request =
          "POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
              + "Trailer: X-Checksum\r\n\r\n"
              + Integer.toHexString(OPENAI_CHAT.length())
              + "\r\n"
              + OPENAI_CHAT
              + "\r\n0\r\nX-Checksum: abc\r\n\r\n";

      RawHttp.Answer answer = RawHttp.exchange(router.router().port(), request);

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text()).contains("chat.completion");
      // The trailer lines are still unread on the connection: it is closed after the answer.
      assertThat(answer.closed()).isTrue();
      assertThat(new String(fake.received().get(0).body(), StandardCharsets.UTF_8))
          .isEqualTo(OPENAI_CHAT);
    }
  }
}
