package dev.llmrouter.streaming;

import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ResponsesWire;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Streams a provider sends a little off the beaten path, and a client slower than the provider:
 * each still reaches the client whole, ending as the protocol says, with its record.
 */
class OddUpstreamStreamsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration IDLE = Duration.ofMillis(700);
  private static final String STREAM =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private FakeUpstream upstream;
  private RouterHarness router;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    router =
        RouterHarness.builder()
            .openai(provider("first", upstream.baseUrl() + "/v1", Duration.ofSeconds(5), 0, IDLE))
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    upstream.close();
  }

  private static String chunk(String delta) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":null}]}";
  }

  /** A streamed chat request's events, as the client receives them. */
  private List<String> streamChat() {
    try (SseClient client = SseClient.post(router.uri("/openai/chat/completions"), STREAM)) {
      return client.rest(WAIT);
    }
  }

  private JsonNode onlyRecord() {
    List<String> log = router.closeAndReadLog();
    assertThat(log).hasSize(1);
    return Json.MAPPER.readTree(log.getFirst());
  }

  @Test
  void aClientSlowerThanTheIdleTimeoutStillGetsAPromptProvidersWholeStream() throws IOException {
    // Events of 16 MiB (a Responses API stream's text delta, then its response.completed, which
    // repeats the whole answer): writing one to a client that reads 64 KiB every 10 ms takes
    // seconds (less what the kernel's buffers hold), longer than the provider's idle timeout,
    // while the provider itself sends an event every 100 ms.
    List<String> events = ResponsesWire.stream("resp_slow", "x".repeat(16 << 20));
    upstream.always(Reply.sse(events).eventGap(Duration.ofMillis(100)));
    String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"Hi\"}";
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(64 * 1024);
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), router.uri("/").getPort()));
      s.setSoTimeout((int) WAIT.toMillis());
      s.getOutputStream()
          .write(
              ("POST /openai/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/json\r\nConnection: close\r\n"
                      + "Content-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        got.write(buf, 0, n);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // pacing: a slow reader
      }
    }
    String text = got.toString(StandardCharsets.UTF_8);

    assertThat(text.substring(text.lastIndexOf("\nevent: ") + 1))
        .startsWith("event: response.completed");
    assertThat(text).doesNotContain("upstream_timeout");
    JsonNode record = onlyRecord();
    assertThat(record.path("stream_result").path("end").asString()).isEqualTo("completed");
  }

  @Test
  void aToolCallIndexThatIsNoNumberIsRelayedAndTheStreamEndsAsUsual() {
    List<String> events = new ArrayList<>(Sse.openAi("a", "b"));
    events.add(
        1,
        chunk(
            "{\"tool_calls\":[{\"index\":\"first\",\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}"));
    upstream.always(Reply.sse(events));

    List<String> got = streamChat();

    assertThat(got).contains(events.get(1)).last().isEqualTo("data: [DONE]");
    JsonNode record = onlyRecord();
    assertThat(record.path("status").asInt()).isEqualTo(200);
    assertThat(record.path("stream_result").path("end").asString()).isEqualTo("completed");
  }

  /**
   * Gateways that close right after the last field: openai-node reads such a stream whole
   * (openai-node 2725), and so does the router, which relays the last event completed.
   */
  @Test
  void aDoneWithoutItsBlankLineBeforeTheEndStillEndsTheStream() {
    List<String> events = Sse.openAi("Hel", "lo");
    String body = String.join("\n\n", events) + "\n"; // the last blank line never comes
    upstream.always(Reply.text(200, "text/event-stream", body));

    List<String> got = streamChat();

    assertThat(got).containsExactlyElementsOf(events);
    JsonNode record = onlyRecord();
    assertThat(record.path("stream_result").path("end").asString()).isEqualTo("completed");
    assertThat(record.path("response").path("content").asString()).isEqualTo("Hello");
  }

  @Test
  void aByteOrderMarkBeforeTheFirstChunkDoesNotLoseIt() {
    List<String> events = new ArrayList<>(Sse.openAi("Hel", "lo"));
    String first = events.getFirst();
    events.set(0, "\uFEFF" + first);
    upstream.always(Reply.sse(events));

    List<String> got = streamChat();

    assertThat(got.getFirst()).isEqualTo(first).contains("\"role\":\"assistant\"");
    assertThat(onlyRecord().path("response").path("content").asString()).isEqualTo("Hello");
  }
}
