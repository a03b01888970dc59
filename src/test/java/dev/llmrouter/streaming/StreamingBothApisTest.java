package dev.llmrouter.streaming;

import static dev.llmrouter.testkit.RouterHarness.provider;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stream rules that must hold the same way on both APIs, each run for both. */
class StreamingBothApisTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  enum Dialect {
    OPENAI("/openai/chat/completions", StreamingTest.OPENAI_STREAM, "/v1", "data: {\"error\""),
    ANTHROPIC(
        "/anthropic/v1/messages",
        StreamingTest.ANTHROPIC_STREAM,
        "",
        "event: error\ndata: {\"type\":\"error\"");

    final String path;
    final String body;
    final String baseSuffix;
    final String errorPrefix;

    Dialect(String path, String body, String baseSuffix, String errorPrefix) {
      this.path = path;
      this.body = body;
      this.baseSuffix = baseSuffix;
      this.errorPrefix = errorPrefix;
    }

    List<String> stream(String... deltas) {
      return this == OPENAI ? Sse.openAi(deltas) : Sse.anthropic(deltas);
    }
  }

  private record Setup(FakeUpstream first, FakeUpstream second, RouterHarness router)
      implements AutoCloseable {
    SseClient open(Dialect d) {
      return SseClient.post(router.uri(d.path), d.body);
    }

    @Override
    public void close() {
      router.close();
      first.close();
      second.close();
    }
  }

  private static Setup setup(Dialect d, Duration idle) {
    FakeUpstream first = FakeUpstream.start();
    FakeUpstream second = FakeUpstream.start();
    RouterHarness.Builder b = RouterHarness.builder();
    var p1 = provider("first", first.baseUrl() + d.baseSuffix, Duration.ofMillis(800), 0, idle);
    var p2 = provider("second", second.baseUrl() + d.baseSuffix, Duration.ofMillis(800), 0, idle);
    if (d == Dialect.OPENAI) {
      b.openai(p1).openai(p2);
    } else {
      b.anthropic(p1).anthropic(p2);
    }
    return new Setup(first, second, b.start());
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void failuresBeforeTheFirstEventFallBackToExactlyOneStream(Dialect d) {
    try (Setup s = setup(d, Duration.ofSeconds(5))) {
      s.first().enqueue(Reply.json(503, "{}"), Reply.sse(List.of()), Reply.hang());
      List<String> events = d.stream("from", " second");
      s.second().always(Reply.sse(events));
      for (int i = 0; i < 3; i++) {
        try (SseClient client = s.open(d)) {
          assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
          assertThat(client.response().headers().firstValue("x-router-provider"))
              .hasValue("second");
        }
      }
      assertThat(s.first().requestCount()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aBreakAfterTheCommitEndsWithOneErrorEventAndNoSecondProvider(Dialect d) {
    for (boolean rst : new boolean[] {false, true}) {
      try (Setup s = setup(d, Duration.ofSeconds(5))) {
        List<String> events = d.stream("a", "b", "c");
        s.first().always(Reply.sse(events).eventGap(Duration.ofMillis(30)).breakAfter(2, rst));
        s.second().always(Reply.sse(d.stream("spliced")));
        try (SseClient client = s.open(d)) {
          List<String> got = client.rest(WAIT);
          assertThat(got.subList(0, 2)).isEqualTo(events.subList(0, 2));
          assertThat(got).hasSize(3);
          assertThat(got.get(2)).startsWith(d.errorPrefix);
        }
        assertThat(s.second().requestCount()).isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void silencePastTheIdleTimeoutEndsWithAnErrorEventAfterKeepalives(Dialect d) {
    try (Setup s = setup(d, Duration.ofMillis(1200))) {
      s.first().always(Reply.sse(d.stream("x")).hangAfter(2));
      try (SseClient client = s.open(d)) {
        List<String> got = client.rest(WAIT);
        assertThat(got).contains(": keepalive");
        assertThat(got.get(got.size() - 1)).startsWith(d.errorPrefix).contains("idle");
      }
    }
  }

  @Test
  void anAnthropicMessageStopWithoutItsEventLineEndsTheStream() {
    // Some Anthropic-compatible servers send data: lines only; the upstream then stays open. The
    // stream is whole at message_stop: no wait for the idle timeout, no error event after it.
    try (Setup s = setup(Dialect.ANTHROPIC, Duration.ofSeconds(30))) {
      List<String> events = new ArrayList<>(Sse.anthropic("a", "b"));
      String last = events.removeLast();
      assertThat(last).startsWith("event: message_stop\n");
      events.add(last.substring(last.indexOf('\n') + 1));
      s.first().always(Reply.sse(events).hangAfter(events.size()));
      try (SseClient client = s.open(Dialect.ANTHROPIC)) {
        assertThat(client.rest(WAIT)).containsExactlyElementsOf(events);
      }
      assertThat(s.router().closeAndReadLog().get(0)).contains("\"end\":\"completed\"");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aClientThatGoesAwayCancelsTheUpstreamWithinAboutASecond(Dialect d) {
    try (Setup s = setup(d, Duration.ofSeconds(10))) {
      // Two events: an Anthropic message_start alone is held back with the commit point.
      s.first().always(Reply.sse(d.stream("a", "b")).hangAfter(2));
      SseClient client = s.open(d);
      assertThat(client.next(WAIT)).isNotEmpty();
      client.close();

      assertThat(s.first().awaitClientGone(Duration.ofSeconds(3))).isTrue();
      assertThat(s.router().closeAndReadLog().get(0)).contains("\"end\":\"client_cancelled\"");
    }
  }
}
