package dev.llmrouter.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rate limit that arrives in a stream after its commit point: the stream ends with the client's
 * error event, and the provider cools down as after a 429 status, so the next request goes to the
 * next provider instead of meeting the same limit.
 */
class RateLimitInStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String STREAM =
      "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @Test
  void aChatStreamsRateLimitErrorAfterItsRoleChunkCoolsTheProvider() {
    try (FakeUpstream first = FakeUpstream.start();
        FakeUpstream second = FakeUpstream.start().always(Reply.sse(Sse.openAi("b")))) {
      List<String> events = new ArrayList<>(Sse.openAi("a").subList(0, 2));
      events.add(
          "data: {\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\","
              + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
      first.always(Reply.sse(events).withHeader("retry-after", "20"));
      try (RouterHarness router =
          RouterHarness.builder().openai("first", first).openai("second", second).start()) {
        List<String> got;
        try (SseClient client = SseClient.post(router.uri("/openai/chat/completions"), STREAM)) {
          got = client.rest(WAIT);
        }
        assertThat(router.awaitHealth("cooling_down", WAIT)).isTrue();
        try (SseClient client = SseClient.post(router.uri("/openai/chat/completions"), STREAM)) {
          client.rest(WAIT);
        }

        assertThat(got.get(got.size() - 1)).contains("\"error\"");
        assertThat(router.get("/health").body()).contains("cooling_down");
        assertThat(first.requestCount()).isEqualTo(1);
        assertThat(second.requestCount()).isEqualTo(1);
      }
    }
  }
}
