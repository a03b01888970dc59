package dev.llmrouter.routing;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ServedRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pooled upstream connection that the provider closes as a request leaves on it. Over a {@code
 * serve} process of its own: the JDK client reads its retry setting once per JVM, at its first
 * exchange, which in a shared test JVM may have come before any router started.
 */
class StaleConnectionOverProcessTest {

  private static final String CHAT = "/openai/chat/completions";

  @TempDir Path dir;

  /** first (priority 1) and second (priority 2), each with max_retries 0. */
  private static String config(FakeUpstream first, FakeUpstream second) {
    return """
        {"server": {"port": 0}, "logging": {"dir": "logs"},
         "openai": [
           {"name": "first", "api_key": "sk-first-0001", "base_url": "%s/v1", "priority": 1,
            "max_retries": 0},
           {"name": "second", "api_key": "sk-second-0002", "base_url": "%s/v1", "priority": 2,
            "max_retries": 0}]}
        """
        .formatted(first.baseUrl(), second.baseUrl());
  }

  @Test
  void aKeptAliveConnectionTheProviderClosedIsSentAgainOnANewOneAtOnce() {
    // Servers close idle keep-alive connections on their own clock (uvicorn, under vLLM: 5 s; the
    // JDK server past 200 idle ones, at once). Nothing came back on it: the request goes again,
    // once, on a new connection, without a backoff and without counting as a failed attempt of
    // the provider (max_retries 0 here: the router alone would have moved to the next provider).
    try (FakeUpstream first = FakeUpstream.start();
        FakeUpstream second = FakeUpstream.start().always(Reply.openAiOk("from second"))) {
      first
          .enqueue(Reply.openAiOk("first, new connection"), Reply.raw(new byte[0]))
          .always(Reply.openAiOk("first, again"));
      String config = config(first, second);
      try (ServedRouter router = ServedRouter.start(dir, config)) {
        Duration t = Duration.ofSeconds(10);

        assertThat(router.post(CHAT, OPENAI_CHAT, t)).as(router.describe()).isEqualTo(200);
        assertThat(router.post(CHAT, OPENAI_CHAT, t)).as(router.describe()).isEqualTo(200);

        assertThat(router.stop(t)).isIn(0, 143);
        List<String> log = router.logLines();
        assertThat(first.requestCount()).as(String.join("\n", log)).isEqualTo(3);
        assertThat(second.requestCount()).isZero();
        assertThat(log).hasSize(2);
        assertThat(log.get(1))
            .contains("\"provider\":\"first\"")
            .contains("\"attempts\":[{")
            .doesNotContain("\"broken\"")
            .doesNotContain("\"second\"");
      }
    }
  }

  @Test
  void withTheRetryTurnedOffTheSameRaceIsAFailedAttempt() {
    // The same race with -Djdk.httpclient.enableAllMethodRetry=false (a -D flag wins over the
    // router's setting): the request fails as broken and, at max_retries 0, the next provider
    // answers. This is what the setting above spares.
    try (FakeUpstream first = FakeUpstream.start();
        FakeUpstream second = FakeUpstream.start().always(Reply.openAiOk("from second"))) {
      first.enqueue(Reply.openAiOk("first, new connection"), Reply.raw(new byte[0]));
      String config = config(first, second);
      try (ServedRouter router =
          ServedRouter.start(dir, config, "-Djdk.httpclient.enableAllMethodRetry=false")) {
        Duration t = Duration.ofSeconds(10);

        assertThat(router.post(CHAT, OPENAI_CHAT, t)).isEqualTo(200);
        assertThat(router.post(CHAT, OPENAI_CHAT, t)).isEqualTo(200);

        assertThat(first.requestCount()).isEqualTo(2);
        assertThat(second.requestCount()).isEqualTo(1);
      }
    }
  }
}
