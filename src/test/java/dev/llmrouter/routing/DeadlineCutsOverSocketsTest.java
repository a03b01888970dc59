package dev.llmrouter.routing;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An attempt the request's deadline cut short is the deadline's doing, not the provider's; and a
 * 200 that carries an error object never reaches the client as a success.
 */
class DeadlineCutsOverSocketsTest {

  private static final String CHAT = "/openai/chat/completions";

  @Test
  void aBackupCutByTheDeadlineBehindASlowPrimaryKeepsItsHealth() {
    try (FakeUpstream first = FakeUpstream.start();
        FakeUpstream second = FakeUpstream.start()) {
      // The primary takes 700 ms of the 1 s deadline: the backup, answering in 400 ms, is cut.
      first.always(
          Reply.openAiError(500, "server_error", null, "boom").delayed(Duration.ofMillis(700)));
      second.always(Reply.openAiOk("from second").delayed(Duration.ofMillis(400)));
      try (RouterHarness router =
          RouterHarness.builder()
              .openai(provider("first", first.baseUrl() + "/v1", Duration.ofSeconds(10), 0))
              .openai(provider("second", second.baseUrl() + "/v1", Duration.ofSeconds(10), 0))
              .requestTimeout(Duration.ofSeconds(1))
              .start()) {
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> r = router.post(CHAT, OPENAI_CHAT);
          assertThat(r.statusCode()).isEqualTo(504);
          assertThat(r.body()).contains("The request deadline passed");
        }
        // Three cuts would have opened the backup's breaker: it still answers once it can.
        first.always(Reply.openAiError(500, "server_error", null, "boom"));

        HttpResponse<String> fourth = router.post(CHAT, OPENAI_CHAT);

        assertThat(fourth.statusCode()).as(fourth.body()).isEqualTo(200);
        assertThat(fourth.body()).contains("from second");
      }
    }
  }

  @Test
  void aDeadlinePassingDuringTheLastAttemptIsSaidToBeTheDeadline() {
    try (FakeUpstream only = FakeUpstream.start()) {
      only.always(Reply.openAiOk().delayed(Duration.ofSeconds(3)));
      try (RouterHarness router =
          RouterHarness.builder()
              .openai(provider("only", only.baseUrl() + "/v1", Duration.ofSeconds(10), 0))
              .requestTimeout(Duration.ofSeconds(1))
              .start()) {
        HttpResponse<String> r = router.post(CHAT, OPENAI_CHAT);

        assertThat(r.statusCode()).isEqualTo(504);
        // server.request_timeout is the setting to change, not the provider's timeout.
        assertThat(r.body()).contains("The request deadline passed");
      }
    }
  }

  @Test
  void aTwoHundredWithAClientErrorObjectIsAnsweredWithItsStatus() {
    try (FakeUpstream first = FakeUpstream.start()) {
      String error = "{\"error\":{\"code\":400,\"message\":\"Provider returned error\"}}";
      first.always(Reply.json(200, error));
      try (RouterHarness router =
          RouterHarness.builder()
              .openai(provider("first", first.baseUrl() + "/v1", Duration.ofSeconds(10), 0))
              .start()) {
        HttpResponse<String> r = router.post(CHAT, OPENAI_CHAT);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(error);
        assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
        // The log keeps what came.
        assertThat(router.closeAndReadLog().getFirst()).contains("\"status\":200");
      }
    }
  }
}
