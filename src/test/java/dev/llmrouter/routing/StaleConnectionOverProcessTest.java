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
 * A provider that drops the connection without a byte back, over a {@code serve} process of its own
 * (the JDK client reads its settings once per JVM, at its first exchange): each attempt reaches it
 * once, as {@code max_retries} counts them, and the log and {@code x-router-attempts} count the
 * same calls the provider received.
 */
class StaleConnectionOverProcessTest {

  private static final String CHAT = "/openai/chat/completions";

  @TempDir Path dir;

  @Test
  void aProviderThatDropsTheConnectionGetsEachAttemptOnceAsMaxRetriesSays() {
    try (FakeUpstream first = FakeUpstream.start().always(Reply.raw(new byte[0]));
        FakeUpstream second = FakeUpstream.start().always(Reply.openAiOk("from second"))) {
      String config =
          """
          {"server": {"port": 0}, "logging": {"dir": "logs"},
           "openai": [
             {"name": "first", "api_key": "sk-first-0001", "base_url": "%s/v1", "priority": 1,
              "max_retries": 1},
             {"name": "second", "api_key": "sk-second-0002", "base_url": "%s/v1", "priority": 2,
              "max_retries": 0}]}
          """
              .formatted(first.baseUrl(), second.baseUrl());
      try (ServedRouter router = ServedRouter.start(dir, config)) {
        Duration t = Duration.ofSeconds(10);

        assertThat(router.post(CHAT, OPENAI_CHAT, t)).as(router.describe()).isEqualTo(200);

        assertThat(router.stop(t)).isIn(0, 143);
        List<String> log = router.logLines();
        assertThat(first.requestCount()).as(String.join("\n", log)).isEqualTo(2);
        assertThat(second.requestCount()).isEqualTo(1);
        assertThat(log).hasSize(1);
        assertThat(log.get(0).split("\"provider\":\"first\"", -1)).hasSize(3); // two attempts
      }
    }
  }
}
