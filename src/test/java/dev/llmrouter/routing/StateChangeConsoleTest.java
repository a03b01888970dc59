package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.ConsoleCapture;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The console says when a provider's state changes, once per change (issue 18 §3.3). */
class StateChangeConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHAT = "{\"model\":\"gpt-x\",\"messages\":[]}";

  @Test
  void aCooldownIsSaidOnceWithItsStatusClassAndLength() {
    try (FakeUpstream first = FakeUpstream.start();
        FakeUpstream second = FakeUpstream.start().always(Reply.openAiOk("ok"));
        ConsoleCapture console = ConsoleCapture.start();
        RouterHarness router =
            RouterHarness.builder().openai("first", first).openai("second", second).start()) {
      first.always(
          Reply.openAiError(429, "requests", "rate_limit_exceeded", "Rate limit reached")
              .withHeader("retry-after", "20"));

      router.post("/openai/v1/chat/completions", CHAT);
      router.post("/openai/v1/chat/completions", CHAT); // skips first: no new line

      console.await("200 openai POST", WAIT);
      assertThat(
              console.leveled().stream()
                  .filter(l -> l.contains("provider first: model gpt-x cooling down"))
                  .toList())
          .containsExactly(
              "WARNING provider first: model gpt-x cooling down for 20 s (429, rate_limited)");
    }
  }

  @Test
  void aClientsModelInACooldownLineIsRedactedAndEscapedOnOneLine() {
    String key = RouterHarness.keyOf("first");
    String model = "gpt-x\\n2026-01-01 00:00:00 INFO forged\\u001b[31m " + key;
    try (FakeUpstream first = FakeUpstream.start();
        FakeUpstream second = FakeUpstream.start().always(Reply.openAiOk("ok"));
        ConsoleCapture console = ConsoleCapture.start();
        RouterHarness router =
            RouterHarness.builder().openai("first", first).openai("second", second).start()) {
      first.always(Reply.openAiError(429, "requests", "rate_limit_exceeded", "Rate limit"));

      router.post("/openai/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[]}");

      console.await("200 openai POST", WAIT);
      assertThat(console.leveled())
          .anySatisfy(l -> assertThat(l).contains("cooling down").contains("[REDACTED]"))
          .allSatisfy(l -> assertThat(l).doesNotContain("\n", "\u001b", key));
    }
  }

  @Test
  void theBreakerOpeningIsSaidOnceAndTheRoutersOwn5xxIsAWarning() {
    try (FakeUpstream failing =
            FakeUpstream.start().always(Reply.openAiError(500, "server_error", null, "boom"));
        ConsoleCapture console = ConsoleCapture.start();
        RouterHarness router =
            RouterHarness.builder()
                .openai(
                    RouterHarness.provider(
                        "flaky", failing.baseUrl() + "/v1", Duration.ofSeconds(5), 2))
                .start()) {
      router.post("/openai/v1/chat/completions", CHAT); // three attempts: the breaker opens
      // Waits the 5 s out (server.max_cooldown_wait), takes the half-open probe, fails it: the
      // breaker reopens for twice as long. Its retries fail inside the open breaker: no line.
      router.post("/openai/v1/chat/completions", CHAT);

      console.await("skipped for 10 s", WAIT);
      console.await("attempts=", WAIT);
      assertThat(console.leveled().stream().filter(l -> l.contains("breaker open")).toList())
          .containsExactly(
              "WARNING provider flaky: breaker open after http_500; skipped for 5 s",
              "WARNING provider flaky: breaker open after http_500; skipped for 10 s");
      assertThat(console.leveled().stream().filter(l -> l.contains(" openai POST ")).toList())
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).startsWith("WARNING 50"));
    }
  }
}
