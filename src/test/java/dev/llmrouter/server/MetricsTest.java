package dev.llmrouter.server;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void prometheusTextWithRequestsAttemptsFallbacksStatesAndHistograms() {
    FakeUpstream first = FakeUpstream.start();
    FakeUpstream second = FakeUpstream.start().always(Reply.openAiOk());
    RouterHarness router =
        RouterHarness.builder().openai("first", first).openai("second", second).start();
    try {
      // A rejected key cools the whole provider down: the stream below skips it.
      first.enqueue(Reply.openAiError(401, "invalid_request_error", "invalid_api_key", "no"));
      router.post("/openai/chat/completions", OPENAI_CHAT);
      router.post("/openai/chat/completions", "not json");
      second.always(Reply.sse(Sse.openAi("hi")));
      try (SseClient client =
          SseClient.post(
              router.uri("/openai/chat/completions"),
              "{\"model\":\"m\",\"stream\":true,\"messages\":[]}")) {
        client.rest(Duration.ofSeconds(5));
      }

      // The stream's request is counted as its record is written, just after its last byte went
      // out: read until it is there (bounded), not once.
      HttpResponse<String> r = router.get("/metrics");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!r.body().contains("route=\"chat\",status=\"200\"} 2")
          && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        r = router.get("/metrics");
      }
      String text = r.body();

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
      assertThat(text)
          .contains(
              "llm_router_requests_total{endpoint=\"openai\",route=\"chat\",status=\"200\"} 2")
          .contains(
              "llm_router_requests_total{endpoint=\"openai\",route=\"chat\",status=\"400\"} 1")
          .contains(
              "llm_router_attempts_total{endpoint=\"openai\",provider=\"first\",outcome=\"fallback\"} 1")
          .contains(
              "llm_router_attempts_total{endpoint=\"openai\",provider=\"first\",outcome=\"skipped\"} 1")
          .contains("llm_router_fallbacks_total{endpoint=\"openai\"} 1")
          .contains(
              "llm_router_provider_state{endpoint=\"openai\",provider=\"first\",state=\"key_rejected\"} 1")
          .contains(
              "llm_router_provider_state{endpoint=\"openai\",provider=\"first\",state=\"available\"} 0")
          .contains(
              "llm_router_attempt_failures_total{endpoint=\"openai\",provider=\"first\","
                  + "class=\"key_rejected\",outcome=\"fallback\"} 1")
          .contains("llm_router_request_duration_seconds_count{endpoint=\"openai\"} 3")
          .contains("llm_router_stream_first_event_seconds_count{endpoint=\"openai\"} 1")
          .contains("llm_router_in_flight ");
      // Every line is a comment or "name{labels} value", as the text format requires.
      List<String> bad =
          text.lines()
              .filter(l -> !l.startsWith("# HELP ") && !l.startsWith("# TYPE "))
              .filter(l -> !l.matches("[a-z_]+(\\{[^}]*\\})? [0-9.eE+-]+"))
              .toList();
      assertThat(bad).isEmpty();
      assertThat(text).doesNotContain("canary").doesNotContain("gpt-4o-mini");
    } finally {
      router.close();
      first.close();
      second.close();
    }
  }

  @Test
  void failureClassesTokensFromUsageAndProviderStates() {
    try (FakeUpstream slow = FakeUpstream.start().always(Reply.hang());
        FakeUpstream second = FakeUpstream.start().always(Reply.openAiOk());
        FakeUpstream claude = FakeUpstream.start().always(Reply.anthropicOk());
        RouterHarness router =
            RouterHarness.builder()
                .openai(
                    RouterHarness.provider(
                        "slow", slow.baseUrl() + "/v1", Duration.ofMillis(300), 1))
                .openai("second", second)
                .anthropic("claude", claude)
                .start()) {
      // slow times out with the request sent, for both requests: no retry, fallback to second.
      // Its answer: 9 in, 1 out.
      assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(200);
      // A stream's usage comes in its last chunk: 9 in, 2 out.
      second.always(Reply.sse(Sse.openAi("a", "b")));
      try (SseClient client =
          SseClient.post(
              router.uri("/openai/chat/completions"),
              "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                  + "\"messages\":[]}")) {
        client.rest(Duration.ofSeconds(5));
      }
      // Anthropic: 12 in, 6 out; its stream: 12 in (message_start), 2 out (message_delta).
      assertThat(router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES).statusCode())
          .isEqualTo(200);
      claude.always(Reply.sse(Sse.anthropic("a", "b")));
      try (SseClient client =
          SseClient.post(
              router.uri("/anthropic/v1/messages"),
              "{\"model\":\"m\",\"max_tokens\":8,\"stream\":true,\"messages\":[]}")) {
        client.rest(Duration.ofSeconds(5));
      }
      // Tokens are counted by the log's writer thread, once it has written the lines.
      assertThat(router.awaitLogLines(4, Duration.ofSeconds(10))).isTrue();

      String text = router.get("/metrics").body();

      assertThat(text)
          .contains(
              "llm_router_attempt_failures_total{endpoint=\"openai\",provider=\"slow\","
                  + "class=\"timeout\",outcome=\"fallback\"} 2")
          .doesNotContain("outcome=\"retry\"")
          .contains("llm_router_input_tokens_total{endpoint=\"openai\",provider=\"second\"} 18")
          .contains("llm_router_output_tokens_total{endpoint=\"openai\",provider=\"second\"} 3")
          .contains("llm_router_input_tokens_total{endpoint=\"anthropic\",provider=\"claude\"} 24")
          .contains("llm_router_output_tokens_total{endpoint=\"anthropic\",provider=\"claude\"} 8")
          .doesNotContain("provider=\"slow\"} ") // no usage, no token series
          .contains(
              "llm_router_provider_state{endpoint=\"openai\",provider=\"slow\",state=\"available\"} 1")
          .contains("# TYPE llm_router_input_tokens_total counter");
      assertThat(slow.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void tokenCountersStopAtTheLargestLongInsteadOfWrapping() {
    String huge =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9223372036854775807,"
            + "\"completion_tokens\":9223372036854775806,\"total_tokens\":9223372036854775807}}";
    try (FakeUpstream up = FakeUpstream.start().always(Reply.json(200, huge));
        RouterHarness router = RouterHarness.builder().openai("up", up).start()) {
      for (int i = 0; i < 3; i++) {
        assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode())
            .isEqualTo(200);
      }
      assertThat(router.awaitLogLines(3, Duration.ofSeconds(10))).isTrue();

      assertThat(router.get("/metrics").body())
          .contains(
              "llm_router_input_tokens_total{endpoint=\"openai\",provider=\"up\"} "
                  + Long.MAX_VALUE
                  + "\n")
          .contains(
              "llm_router_output_tokens_total{endpoint=\"openai\",provider=\"up\"} "
                  + Long.MAX_VALUE
                  + "\n");
    }
  }
}
