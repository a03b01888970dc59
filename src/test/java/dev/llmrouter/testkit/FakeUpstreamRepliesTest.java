package dev.llmrouter.testkit;

import static dev.llmrouter.testkit.FakeUpstreamFixture.JSON;
import static dev.llmrouter.testkit.FakeUpstreamFixture.WAIT;
import static dev.llmrouter.testkit.FakeUpstreamFixture.ofString;
import static dev.llmrouter.testkit.FakeUpstreamFixture.rawRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmrouter.testkit.FakeUpstreamFixture.RawResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@link FakeUpstream} answering well: scripted and default bodies, and HTTP/1.1 framing. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FakeUpstreamRepliesTest {

  @RegisterExtension final FakeUpstreamFixture fixture = new FakeUpstreamFixture();
  private final FakeUpstream fake = fixture.fake;
  private final HttpClient client = fixture.client;

  // ---------------------------------------------------------------- plain replies

  @Test
  void jsonReplyIsServedAndTheRequestIsRecorded() throws Exception {
    fake.enqueue(Reply.json(201, "{\"ok\":true}").withHeader("retry-after", "3"));

    HttpResponse<String> resp =
        client.send(
            fixture
                .post("/v1/chat/completions?stream=false", "{\"model\":\"m\"}")
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
      HttpResponse<String> resp = client.send(fixture.post("/", "x").build(), ofString());
      seen.add(resp.statusCode() + ":" + resp.body());
    }

    assertThat(seen).containsExactly("201:a", "202:b", "503:c", "503:c");
    assertThat(fake.requestCount()).isEqualTo(4);
  }

  @Test
  void defaultReplyIsARealisticOpenAiCompletion() throws Exception {
    HttpResponse<String> resp =
        client.send(fixture.post("/v1/chat/completions", "{}").build(), ofString());

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

    JsonNode openAi = JSON.readTree(client.send(fixture.post("/", "").build(), ofString()).body());
    assertThat(openAi.get("choices").get(0).get("message").get("content").asString())
        .isEqualTo("hi \"there\"");

    HttpResponse<String> anthropicResp = client.send(fixture.post("/", "").build(), ofString());
    assertThat(anthropicResp.headers().firstValue("request-id"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
    JsonNode anthropic = JSON.readTree(anthropicResp.body());
    assertThat(anthropic.get("id").asString()).startsWith("msg_");
    assertThat(anthropic.get("type").asString()).isEqualTo("message");
    assertThat(anthropic.get("model").asString()).startsWith("claude-");
    assertThat(anthropic.get("content").get(0).get("text").asString()).isEqualTo("bonjour");
    assertThat(anthropic.get("stop_reason").asString()).isEqualTo("end_turn");
    assertThat(anthropic.get("usage").get("output_tokens").asInt()).isEqualTo(6);

    HttpResponse<String> rateLimited = client.send(fixture.post("/", "").build(), ofString());
    assertThat(rateLimited.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(rateLimited.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_exceeded\","
                    + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));

    JsonNode nullCode =
        JSON.readTree(client.send(fixture.post("/", "").build(), ofString()).body());
    assertThat(nullCode.get("error").get("code").isNull()).isTrue();

    HttpResponse<String> overloaded = client.send(fixture.post("/", "").build(), ofString());
    assertThat(overloaded.statusCode()).isEqualTo(529);
    assertThat(JSON.readTree(overloaded.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
  }

  @Test
  void badJsonIsWellFramedGarbage() throws Exception {
    fake.enqueue(Reply.badJson());

    HttpResponse<String> resp = client.send(fixture.post("/", "{}").build(), ofString());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(resp.headers().firstValue("content-length")).hasValue("16");
    assertThat(resp.body()).isEqualTo("this is not json");
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

  // ---------------------------------------------------------------- HTTP/1.1 framing

  @Test
  void keepAliveServesSeveralRequestsOnOneConnectionAndHonoursConnectionClose() throws Exception {
    fake.enqueue(Reply.json(200, "one"), Reply.json(200, "two"), Reply.json(200, "three"));

    try (Socket s = fixture.rawSocket()) {
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
    try (Socket s = fixture.rawSocket()) {
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
            HttpRequest.newBuilder(fixture.uri("/stream-body"))
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
    try (Socket s = fixture.rawSocket()) {
      s.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      RawResponse resp = RawResponse.read(s.getInputStream());
      assertThat(resp.status).isEqualTo(400);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(fake.requestCount()).isZero();
  }
}
