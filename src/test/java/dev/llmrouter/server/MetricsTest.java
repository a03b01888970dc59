package dev.llmrouter.server;

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

      HttpResponse<String> r = router.get("/metrics");
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
              "llm_router_provider_state{endpoint=\"openai\",provider=\"first\",state=\"cooling_down\"} 1")
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
}
