package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InFlightCapTest {

  @Test
  void requestsBeyondTheCapGetAFast503WithRetryAfterAndHealthStillAnswers() {
    FakeUpstream fake = FakeUpstream.start().always(Reply.hang());
    try {
      RouterHarness router =
          RouterHarness.builder().maxInFlight(2).openai("oa", fake).anthropic("an", fake).start();
      try {
        CompletableFuture<HttpResponse<String>> first =
            CompletableFuture.supplyAsync(
                () -> router.post("/openai/chat/completions", OPENAI_CHAT));
        CompletableFuture<HttpResponse<String>> second =
            CompletableFuture.supplyAsync(
                () -> router.post("/openai/chat/completions", OPENAI_CHAT));
        fake.awaitRequest(2, Duration.ofSeconds(5));

        HttpResponse<String> openai = router.post("/openai/chat/completions", OPENAI_CHAT);
        HttpResponse<String> anthropic = router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES);

        assertThat(openai.statusCode()).isEqualTo(503);
        assertThat(openai.headers().firstValue("retry-after")).hasValue("1");
        assertThat(openai.body()).startsWith("{\"error\"").contains("max_in_flight");
        assertThat(anthropic.statusCode()).isEqualTo(503);
        assertThat(anthropic.body()).startsWith("{\"type\":\"error\"");
        assertThat(router.get("/health").statusCode()).isEqualTo(200);
        // A scrape is answered when the router is full, and counts the two held requests only.
        HttpResponse<String> metrics = router.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("\nllm_router_in_flight 2\n");
        assertThat(fake.requestCount()).isEqualTo(2);

        fake.close(); // the two held requests end, which frees their places
        first.join();
        second.join();
        // Places are free again: the next request is served (502: the fake is gone now).
        assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode())
            .isEqualTo(502);
      } finally {
        router.close();
      }
    } finally {
      fake.close();
    }
  }
}
