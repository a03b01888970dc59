package dev.llmrouter.testkit;

import static dev.llmrouter.testkit.FakeUpstreamFixture.JSON;
import static dev.llmrouter.testkit.FakeUpstreamFixture.WAIT;
import static dev.llmrouter.testkit.FakeUpstreamFixture.ofString;
import static dev.llmrouter.testkit.FakeUpstreamFixture.rawRequest;
import static dev.llmrouter.testkit.FakeUpstreamFixture.readChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmrouter.testkit.FakeUpstreamFixture.RawResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@link FakeUpstream} streaming server-sent events, whole, slow, broken or stalled. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeUpstreamSseTest {

  @RegisterExtension final FakeUpstreamFixture fixture = new FakeUpstreamFixture();
  private final FakeUpstream fake = fixture.fake;
  private final HttpClient client = fixture.client;

  @Test
  void sseStreamIsChunkedWithOneEventPerChunkThenTerminated() throws Exception {
    List<String> events = List.of("data: {\"a\":1}", "event: ping\ndata: {}", "data: [DONE]");
    fake.enqueue(Reply.sse(events), Reply.json(200, "after"));

    try (Socket s = fixture.rawSocket()) {
      s.getOutputStream().write(rawRequest("POST /v1/chat/completions", "", "{}"));
      InputStream in = s.getInputStream();
      RawResponse head = RawResponse.readHead(in);
      assertThat(head.status).isEqualTo(200);
      assertThat(head.headers)
          .containsEntry("content-type", "text/event-stream")
          .containsEntry("cache-control", "no-cache")
          .containsEntry("transfer-encoding", "chunked")
          .doesNotContainKey("content-length");
      for (String e : events) {
        assertThat(readChunk(in)).isEqualTo(e + "\n\n");
      }
      assertThat(readChunk(in)).as("terminating zero chunk").isNull();

      // the connection stays usable
      s.getOutputStream().write(rawRequest("GET /next", "", ""));
      assertThat(RawResponse.read(in).bodyText()).isEqualTo("after");
    }
  }

  @Test
  void sseBodyIsReadableByTheJdkClient() throws Exception {
    List<String> events = Sse.anthropic("Hel", "lo");
    fake.enqueue(Reply.sse(events));

    HttpResponse<String> resp = client.send(fixture.post("/v1/messages", "{}").build(), ofString());

    assertThat(resp.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(resp.body()).isEqualTo(String.join("\n\n", events) + "\n\n");
  }

  @Test
  void sseEventsArriveIncrementally() throws Exception {
    fake.enqueue(Reply.sse(List.of("data: first", "data: second")).eventGap(Duration.ofMinutes(5)));
    HttpResponse<InputStream> resp =
        client.send(fixture.post("/", "{}").build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine = readLineAsync(reader);

    assertThat(firstLine.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("data: first");
    // the second event is still minutes away; closing the fake must cut the gap short
    fake.close();
    assertThat(fake.liveThreads()).isZero();
    reader.close();
  }

  @Test
  void sseBreakAfterCleanCloseTruncatesTheChunkedBody() throws Exception {
    List<String> events = Sse.openAi("a", "b", "c");
    fake.enqueue(Reply.sse(events).breakAfter(2, false), Reply.sse(events).breakAfter(2, false));

    try (Socket s = fixture.rawSocket()) {
      s.getOutputStream().write(rawRequest("POST /", "", "{}"));
      InputStream in = s.getInputStream();
      RawResponse.readHead(in);
      assertThat(readChunk(in)).isEqualTo(events.get(0) + "\n\n");
      assertThat(readChunk(in)).isEqualTo(events.get(1) + "\n\n");
      assertThat(in.read()).as("clean EOF without the zero chunk").isEqualTo(-1);
    }

    assertThatThrownBy(() -> client.send(fixture.post("/", "{}").build(), ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void sseBreakAfterWithRstResetsTheConnection() throws Exception {
    fake.enqueue(Reply.sse(Sse.openAi("a", "b")).breakAfter(1, true));

    assertThatThrownBy(() -> client.send(fixture.post("/", "{}").build(), ofString()))
        .isInstanceOf(IOException.class);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void awaitClientGoneSeesTheClientAbandonAStalledStream() throws Exception {
    List<String> events = Sse.openAi("a", "b");
    fake.enqueue(Reply.sse(events).hangAfter(1));
    HttpResponse<InputStream> resp =
        client.send(fixture.post("/", "{}").build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));
    CompletableFuture<String> firstLine = readLineAsync(reader);
    assertThat(firstLine.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(events.get(0));
    assertThat(fake.awaitClientGone(Duration.ofMillis(50))).isFalse();

    reader.close(); // the JDK client drops the connection of an abandoned response

    assertThat(fake.awaitClientGone(WAIT)).isTrue();
  }

  @Test
  void sseHelpersBuildRealisticStreams() {
    List<String> openAi = Sse.openAi("Hel", "lo");
    assertThat(openAi).hasSize(6).last().isEqualTo("data: [DONE]");
    List<JsonNode> chunks =
        openAi.subList(0, 5).stream()
            .map(e -> JSON.readTree(e.substring("data: ".length())))
            .toList();
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.get("object").asString()).isEqualTo("chat.completion.chunk"));
    assertThat(chunks.get(0).get("choices").get(0).get("delta").get("role").asString())
        .isEqualTo("assistant");
    assertThat(chunks.get(1).get("choices").get(0).get("delta").get("content").asString())
        .isEqualTo("Hel");
    assertThat(chunks.get(2).get("choices").get(0).get("delta").get("content").asString())
        .isEqualTo("lo");
    assertThat(chunks.get(3).get("choices").get(0).get("finish_reason").asString())
        .isEqualTo("stop");
    assertThat(chunks.get(4).get("choices").isEmpty()).isTrue();
    assertThat(chunks.get(4).get("usage").get("completion_tokens").asInt()).isEqualTo(2);
    assertThat(chunks)
        .extracting(c -> c.get("id").asString())
        .containsOnly(chunks.get(0).get("id").asString());

    List<String> anthropic = Sse.anthropic("Hel", "lo");
    assertThat(anthropic)
        .extracting(e -> e.substring("event: ".length(), e.indexOf('\n')))
        .containsExactly(
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    for (String e : anthropic) {
      JsonNode data = JSON.readTree(e.substring(e.indexOf("\ndata: ") + "\ndata: ".length()));
      assertThat(e).startsWith("event: " + data.get("type").asString() + "\n");
    }
    JsonNode delta = JSON.readTree(anthropic.get(3).substring(anthropic.get(3).indexOf("{")));
    assertThat(delta.get("delta").get("type").asString()).isEqualTo("text_delta");
    assertThat(delta.get("delta").get("text").asString()).isEqualTo("Hel");
    JsonNode messageDelta =
        JSON.readTree(anthropic.get(6).substring(anthropic.get(6).indexOf("{")));
    assertThat(messageDelta.get("delta").get("stop_reason").asString()).isEqualTo("end_turn");

    assertThat(JSON.readTree(Sse.openAiError("server_error", "boom").substring("data: ".length())))
        .isEqualTo(
            JSON.readTree(
                "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
    String anthropicError = Sse.anthropicError("overloaded_error", "Overloaded");
    assertThat(anthropicError).startsWith("event: error\ndata: ");
    assertThat(JSON.readTree(anthropicError.substring(anthropicError.indexOf("{"))))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
  }

  /** Reads the next line off the test thread, so that a stalled stream fails a bounded get. */
  private static CompletableFuture<String> readLineAsync(BufferedReader reader) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return reader.readLine();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
