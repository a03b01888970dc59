package dev.llmrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeUpstreamTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final JsonMapper JSON = JsonMapper.shared();

  private final FakeUpstream fake = FakeUpstream.start();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

  @AfterEach
  void tearDown() throws InterruptedException {
    client.shutdownNow();
    assertThat(client.awaitTermination(WAIT)).isTrue();
    fake.close();
    assertThat(fake.liveThreads()).isZero();
  }

  // ---------------------------------------------------------------- plain replies

  @Test
  void jsonReplyIsServedAndTheRequestIsRecorded() throws Exception {
    fake.enqueue(Reply.json(201, "{\"ok\":true}").withHeader("retry-after", "3"));

    HttpResponse<String> resp =
        client.send(
            post("/v1/chat/completions?stream=false", "{\"model\":\"m\"}")
                .header("Authorization", "Bearer sk-test")
                .header("X-Multi", "a")
                .header("X-Multi", "b")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(resp.statusCode()).isEqualTo(201);
    assertThat(resp.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(resp.headers().firstValue("retry-after")).hasValue("3");
    assertThat(resp.body()).isEqualTo("{\"ok\":true}");

    assertThat(fake.requestCount()).isEqualTo(1);
    Received r = fake.received().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.target()).isEqualTo("/v1/chat/completions?stream=false");
    assertThat(r.header("AUTHORIZATION")).isEqualTo("Bearer sk-test");
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.headers().get("x-multi")).containsExactly("a", "b");
    assertThat(r.headers().keySet()).allMatch(k -> k.equals(k.toLowerCase(Locale.ROOT)));
    assertThat(r.header("x-absent")).isNull();
    assertThat(r.bodyText()).isEqualTo("{\"model\":\"m\"}");
    assertThat(r.body()).isEqualTo("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void queuedRepliesAreServedInOrderThenTheDefault() throws Exception {
    fake.enqueue(Reply.json(201, "a"), Reply.json(202, "b")).always(Reply.json(503, "c"));

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> resp = client.send(post("/", "x").build(), ofString());
      seen.add(resp.statusCode() + ":" + resp.body());
    }

    assertThat(seen).containsExactly("201:a", "202:b", "503:c", "503:c");
    assertThat(fake.requestCount()).isEqualTo(4);
  }

  @Test
  void defaultReplyIsARealisticOpenAiCompletion() throws Exception {
    HttpResponse<String> resp = client.send(post("/v1/chat/completions", "{}").build(), ofString());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("x-request-id"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
    JsonNode body = JSON.readTree(resp.body());
    assertThat(body.get("id").asString()).startsWith("chatcmpl-");
    assertThat(body.get("object").asString()).isEqualTo("chat.completion");
    assertThat(body.get("model").asString()).isEqualTo("gpt-4o-mini");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("message").get("role").asString()).isEqualTo("assistant");
    assertThat(choice.get("message").get("refusal").isNull()).isTrue();
    assertThat(choice.get("finish_reason").asString()).isEqualTo("stop");
    assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(10);
  }

  @Test
  void providerBodiesHaveTheRealShapes() throws Exception {
    fake.enqueue(
        Reply.openAiOk("hi \"there\""),
        Reply.anthropicOk("bonjour"),
        Reply.openAiError(429, "rate_limit_exceeded", "rate_limit_exceeded", "Slow down"),
        Reply.openAiError(400, "invalid_request_error", null, "Bad"),
        Reply.anthropicError(529, "overloaded_error", "Overloaded"));

    JsonNode openAi = JSON.readTree(client.send(post("/", "").build(), ofString()).body());
    assertThat(openAi.get("choices").get(0).get("message").get("content").asString())
        .isEqualTo("hi \"there\"");

    HttpResponse<String> anthropicResp = client.send(post("/", "").build(), ofString());
    assertThat(anthropicResp.headers().firstValue("request-id"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
    JsonNode anthropic = JSON.readTree(anthropicResp.body());
    assertThat(anthropic.get("id").asString()).startsWith("msg_");
    assertThat(anthropic.get("type").asString()).isEqualTo("message");
    assertThat(anthropic.get("model").asString()).startsWith("claude-");
    assertThat(anthropic.get("content").get(0).get("text").asString()).isEqualTo("bonjour");
    assertThat(anthropic.get("stop_reason").asString()).isEqualTo("end_turn");
    assertThat(anthropic.get("usage").get("output_tokens").asInt()).isEqualTo(6);

    HttpResponse<String> rateLimited = client.send(post("/", "").build(), ofString());
    assertThat(rateLimited.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(rateLimited.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_exceeded\","
                    + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));

    JsonNode nullCode = JSON.readTree(client.send(post("/", "").build(), ofString()).body());
    assertThat(nullCode.get("error").get("code").isNull()).isTrue();

    HttpResponse<String> overloaded = client.send(post("/", "").build(), ofString());
    assertThat(overloaded.statusCode()).isEqualTo(529);
    assertThat(JSON.readTree(overloaded.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
  }

  @Test
  void badJsonIsWellFramedGarbage() throws Exception {
    fake.enqueue(Reply.badJson());

    HttpResponse<String> resp = client.send(post("/", "{}").build(), ofString());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(resp.headers().firstValue("content-length")).hasValue("16");
    assertThat(resp.body()).isEqualTo("this is not json");
  }

  // ---------------------------------------------------------------- HTTP/1.1 framing

  @Test
  void keepAliveServesSeveralRequestsOnOneConnectionAndHonoursConnectionClose() throws Exception {
    fake.enqueue(Reply.json(200, "one"), Reply.json(200, "two"), Reply.json(200, "three"));

    try (Socket s = rawSocket()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();

      out.write(rawRequest("POST /a", "", "first"));
      RawResponse first = RawResponse.read(in);
      out.write(rawRequest("POST /b", "", "second"));
      RawResponse second = RawResponse.read(in);
      out.write(rawRequest("GET /c", "Connection: close\r\n", ""));
      RawResponse third = RawResponse.read(in);

      assertThat(first.bodyText()).isEqualTo("one");
      assertThat(second.bodyText()).isEqualTo("two");
      assertThat(third.bodyText()).isEqualTo("three");
      assertThat(third.headers.get("connection")).isEqualTo("close");
      assertThat(in.read()).as("server closes after Connection: close").isEqualTo(-1);
    }
    assertThat(fake.received())
        .extracting(Received::target, Received::bodyText)
        .containsExactly(tuple("/a", "first"), tuple("/b", "second"), tuple("/c", ""));
  }

  @Test
  void chunkedRequestBodiesAreDecoded() throws Exception {
    try (Socket s = rawSocket()) {
      s.getOutputStream()
          .write(
              String.join(
                      "\r\n",
                      "POST /chunked HTTP/1.1",
                      "Host: x",
                      "Transfer-Encoding: chunked",
                      "",
                      "5;ext=1",
                      "hello",
                      "6",
                      " world",
                      "0",
                      "X-Trailer: t",
                      "",
                      "")
                  .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(RawResponse.read(s.getInputStream()).status).isEqualTo(200);
    }
    assertThat(fake.awaitRequest(1, WAIT).bodyText()).isEqualTo("hello world");

    // The JDK client sends a body of unknown length chunked.
    byte[] big = "0123456789".repeat(5_000).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> resp =
        client.send(
            HttpRequest.newBuilder(uri("/stream-body"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build(),
            ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    Received r = fake.awaitRequest(2, WAIT);
    assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
    assertThat(r.body()).isEqualTo(big);
  }

  @Test
  void malformedRequestGets400() throws Exception {
    try (Socket s = rawSocket()) {
      s.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      RawResponse resp = RawResponse.read(s.getInputStream());
      assertThat(resp.status).isEqualTo(400);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(fake.requestCount()).isZero();
  }

  // ---------------------------------------------------------------- failures

  @Test
  void resetMakesTheClientFailWithIoException() {
    fake.enqueue(Reply.reset());

    assertThatThrownBy(() -> client.send(post("/", "{}").build(), ofString()))
        .isInstanceOf(IOException.class);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void truncatedBodyMakesTheClientFailWithIoException() throws Exception {
    String body = "{\"id\":\"chatcmpl-1\",\"choices\":[]}";
    fake.enqueue(Reply.truncated(200, body, 10), Reply.truncated(200, body, 10));

    assertThatThrownBy(
            () -> client.send(post("/", "{}").build(), HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);

    try (Socket s = rawSocket()) {
      s.getOutputStream().write(rawRequest("POST /", "", "{}"));
      InputStream in = s.getInputStream();
      Map<String, String> headers = RawResponse.readHead(in).headers;
      assertThat(headers.get("content-length")).isEqualTo(Integer.toString(body.length()));
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(body.substring(0, 10));
    }
  }

  @Test
  void rawBytesAreWrittenVerbatimThenTheConnectionCloses() throws Exception {
    byte[] bytes =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".getBytes(StandardCharsets.ISO_8859_1);
    fake.enqueue(Reply.raw(bytes));
    try (Socket s = rawSocket()) {
      s.getOutputStream().write(rawRequest("GET /", "", ""));
      assertThat(s.getInputStream().readAllBytes()).isEqualTo(bytes);
    }
  }

  // ---------------------------------------------------------------- time and holding

  @Test
  void delayedReplyArrivesNoSoonerThanTheDelay() throws Exception {
    Duration delay = Duration.ofMillis(300);
    fake.enqueue(Reply.json(200, "late").delayed(delay));

    long start = System.nanoTime();
    HttpResponse<String> resp = client.send(post("/", "").build(), ofString());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(resp.body()).isEqualTo("late");
    assertThat(elapsed).isGreaterThanOrEqualTo(delay).isLessThan(WAIT);
  }

  @Test
  void closeCutsADelayShort() throws Exception {
    fake.enqueue(Reply.json(200, "never").delayed(Duration.ofMinutes(5)));
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(post("/", "").build(), ofString());
    fake.awaitRequest(1, WAIT);

    fake.close();

    assertFailsWithIoException(pending);
  }

  @Test
  void hangIsRecordedThenReleasedByClose() throws Exception {
    fake.enqueue(Reply.hang());
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(post("/hang", "q").build(), ofString());

    Received r = fake.awaitRequest(1, WAIT);

    assertThat(r.target()).isEqualTo("/hang");
    assertThat(r.bodyText()).isEqualTo("q");
    assertThat(pending).isNotDone();
    fake.close();
    fake.close(); // idempotent
    assertFailsWithIoException(pending);
    assertThat(fake.liveThreads()).isZero();
  }

  @Test
  void awaitClientGoneSeesTheClientLeaveAHang() throws Exception {
    fake.enqueue(Reply.hang());
    assertThat(fake.awaitClientGone(Duration.ofMillis(50))).isFalse();

    try (Socket s = rawSocket()) {
      s.getOutputStream().write(rawRequest("POST /", "", "{}"));
      fake.awaitRequest(1, WAIT);
    }

    assertThat(fake.awaitClientGone(WAIT)).isTrue();
  }

  @Test
  void awaitRequestFailsAfterItsTimeout() {
    assertThatThrownBy(() -> fake.awaitRequest(1, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("request #1");
  }

  // ---------------------------------------------------------------- server-sent events

  @Test
  void sseStreamIsChunkedWithOneEventPerChunkThenTerminated() throws Exception {
    List<String> events = List.of("data: {\"a\":1}", "event: ping\ndata: {}", "data: [DONE]");
    fake.enqueue(Reply.sse(events), Reply.json(200, "after"));

    try (Socket s = rawSocket()) {
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

    HttpResponse<String> resp = client.send(post("/v1/messages", "{}").build(), ofString());

    assertThat(resp.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(resp.body()).isEqualTo(String.join("\n\n", events) + "\n\n");
  }

  @Test
  void sseEventsArriveIncrementally() throws Exception {
    fake.enqueue(Reply.sse(List.of("data: first", "data: second")).eventGap(Duration.ofMinutes(5)));
    HttpResponse<InputStream> resp =
        client.send(post("/", "{}").build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));

    CompletableFuture<String> firstLine =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });

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

    try (Socket s = rawSocket()) {
      s.getOutputStream().write(rawRequest("POST /", "", "{}"));
      InputStream in = s.getInputStream();
      RawResponse.readHead(in);
      assertThat(readChunk(in)).isEqualTo(events.get(0) + "\n\n");
      assertThat(readChunk(in)).isEqualTo(events.get(1) + "\n\n");
      assertThat(in.read()).as("clean EOF without the zero chunk").isEqualTo(-1);
    }

    assertThatThrownBy(() -> client.send(post("/", "{}").build(), ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void sseBreakAfterWithRstResetsTheConnection() throws Exception {
    fake.enqueue(Reply.sse(Sse.openAi("a", "b")).breakAfter(1, true));

    assertThatThrownBy(() -> client.send(post("/", "{}").build(), ofString()))
        .isInstanceOf(IOException.class);
    assertThat(fake.requestCount()).isEqualTo(1);
  }

  @Test
  void awaitClientGoneSeesTheClientAbandonAStalledStream() throws Exception {
    List<String> events = Sse.openAi("a", "b");
    fake.enqueue(Reply.sse(events).hangAfter(1));
    HttpResponse<InputStream> resp =
        client.send(post("/", "{}").build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));

    CompletableFuture<String> firstLine =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
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

  @Test
  void replyModifiersRejectWhatDoesNotApply() {
    assertThatThrownBy(() -> Reply.hang().withHeader("a", "b"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Reply.json(200, "{}").eventGap(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Reply.truncated(200, "abc", 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Reply.json(200, "{}").withHeader("x", "a\r\nb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- helpers

  private URI uri(String target) {
    return URI.create(fake.baseUrl() + target);
  }

  private HttpRequest.Builder post(String target, String json) {
    return HttpRequest.newBuilder(uri(target))
        .timeout(WAIT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static void assertFailsWithIoException(CompletableFuture<?> pending) {
    assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
  }

  private Socket rawSocket() throws IOException {
    Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), fake.port());
    s.setSoTimeout((int) WAIT.toMillis()); // every raw read is bounded
    return s;
  }

  private static byte[] rawRequest(String methodAndTarget, String extraHeaders, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head =
        methodAndTarget
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + extraHeaders
            + (b.length > 0 || methodAndTarget.startsWith("POST")
                ? "Content-Length: " + b.length + "\r\n"
                : "")
            + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(h, h.length + b.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  /** Reads one chunk of a chunked body; null for the terminating zero chunk (and its CRLF). */
  private static String readChunk(InputStream in) throws IOException {
    int size = Integer.parseInt(readLine(in), 16);
    if (size == 0) {
      assertThat(readLine(in)).isEmpty();
      return null;
    }
    byte[] data = in.readNBytes(size);
    assertThat(readLine(in)).isEmpty();
    return new String(data, StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("EOF mid-line: " + line);
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** A minimal HTTP/1.1 response reader for raw-socket tests (Content-Length bodies only). */
  private static final class RawResponse {
    final int status;
    final Map<String, String> headers;
    final byte[] body;

    RawResponse(int status, Map<String, String> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    static RawResponse readHead(InputStream in) throws IOException {
      String statusLine = readLine(in);
      assertThat(statusLine).startsWith("HTTP/1.1 ");
      Map<String, String> headers = new LinkedHashMap<>();
      for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
        int colon = h.indexOf(':');
        headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
      }
      return new RawResponse(Integer.parseInt(statusLine.substring(9, 12)), headers, new byte[0]);
    }

    static RawResponse read(InputStream in) throws IOException {
      RawResponse head = readHead(in);
      int length = Integer.parseInt(head.headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      assertThat(body).hasSize(length);
      return new RawResponse(head.status, head.headers, body);
    }
  }
}
