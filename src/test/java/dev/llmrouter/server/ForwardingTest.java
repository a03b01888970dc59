package dev.llmrouter.server;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes upstream and what comes back, over real sockets. */
class ForwardingTest {

  private FakeUpstream openai;
  private FakeUpstream anthropic;
  private RouterHarness router;

  @BeforeEach
  void start() {
    openai = FakeUpstream.start().always(Reply.openAiOk("hello"));
    anthropic = FakeUpstream.start().always(Reply.anthropicOk("hello"));
    router =
        RouterHarness.builder().openai("oa-main", openai).anthropic("an-main", anthropic).start();
  }

  @AfterEach
  void stop() {
    router.close();
    openai.close();
    anthropic.close();
  }

  @Test
  void forwardsTheBodyByteForByteAndTheQueryString() {
    // Odd spacing, key order, unicode and escapes must survive untouched: no re-serialisation.
    String body =
        "{ \"messages\" : [{\"role\":\"user\",\"content\":\"h\\u00e9llo \u00e9 \\\"q\\\"\"}],"
            + "\n  \"model\":\"gpt-4o-mini\",\"temperature\":0.70 }";

    HttpResponse<String> response = router.post("/openai/chat/completions?trace=1&x=%2F", body);

    assertThat(response.statusCode()).isEqualTo(200);
    Received got = openai.awaitRequest(1, Duration.ofSeconds(5));
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.target()).isEqualTo("/v1/chat/completions?trace=1&x=%2F");
    assertThat(got.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sdkAliasPathsReachTheSameUpstreamPaths() {
    assertThat(router.post("/openai/v1/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(200);
    assertThat(router.post("/anthropic/chat/completions", ANTHROPIC_MESSAGES).statusCode())
        .isEqualTo(200);
    assertThat(router.post("/anthropic/v1/messages?beta=true", ANTHROPIC_MESSAGES).statusCode())
        .isEqualTo(200);

    assertThat(openai.awaitRequest(1, Duration.ofSeconds(5)).target())
        .isEqualTo("/v1/chat/completions");
    assertThat(anthropic.awaitRequest(1, Duration.ofSeconds(5)).target()).isEqualTo("/v1/messages");
    assertThat(anthropic.awaitRequest(2, Duration.ofSeconds(5)).target())
        .isEqualTo("/v1/messages?beta=true");
  }

  @Test
  void openAiUpstreamGetsTheProviderKeyNeverTheClients() {
    router.post(
        "/openai/chat/completions",
        OPENAI_CHAT,
        "Authorization",
        "Bearer client-own-key",
        "x-api-key",
        "client-own-key",
        "X-Stainless-Lang",
        "js");

    Received got = openai.awaitRequest(1, Duration.ofSeconds(5));
    assertThat(got.header("authorization")).isEqualTo("Bearer " + RouterHarness.keyOf("oa-main"));
    assertThat(got.header("x-api-key")).isNull();
    assertThat(got.header("x-stainless-lang")).isEqualTo("js");
    assertThat(got.header("accept-encoding")).isEqualTo("identity");
    assertThat(got.header("upgrade")).isNull();
    assertThat(got.headers().toString()).doesNotContain("client-own-key");
  }

  @Test
  void hopByHopHeadersNeverReachTheUpstream() {
    String body = OPENAI_CHAT;
    RawHttp.Answer answer =
        RawHttp.exchange(
            router.router().port(),
            "POST /openai/chat/completions HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Type: application/json\r\n"
                + "Connection: close, X-Hop\r\n"
                + "X-Hop: 1\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Proxy-Authorization: Basic c2VjcmV0\r\n"
                + "X-Kept: yes\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);

    assertThat(answer.status()).isEqualTo(200);
    Received got = openai.awaitRequest(1, Duration.ofSeconds(5));
    assertThat(got.header("x-kept")).isEqualTo("yes");
    assertThat(got.header("x-hop")).isNull();
    assertThat(got.header("keep-alive")).isNull();
    assertThat(got.header("te")).isNull();
    assertThat(got.header("proxy-authorization")).isNull();
    assertThat(got.header("connection")).isNotEqualTo("close, X-Hop");
  }

  @Test
  void headerNamesThatAreNoHttpTokenAreNeverA500() {
    // JDK 25's server refuses them (400); an older one lets them through ("X-Broken" without a
    // colon stored under ""), and the router drops them (HeaderPolicyTest): never the client's
    // refusal to send them, as a 500.
    String body = OPENAI_CHAT;
    RawHttp.Answer answer =
        RawHttp.exchange(
            router.router().port(),
            "POST /openai/chat/completions HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Type: application/json\r\n"
                + "X-Trace(id): 1\r\n"
                + "X-Broken\r\n"
                + "X-Kept: yes\r\n"
                + "Connection: close\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);

    assertThat(answer.status()).isIn(200, 400);
    if (answer.status() == 200) {
      Received got = openai.awaitRequest(1, Duration.ofSeconds(5));
      assertThat(got.header("x-kept")).isEqualTo("yes");
      assertThat(got.header("x-trace(id)")).isNull();
    }
    assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(200);
  }

  @Test
  void anthropicUpstreamGetsXApiKeyAndAVersion() {
    router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES, "Authorization", "Bearer client-own");
    router.post(
        "/anthropic/v1/messages",
        ANTHROPIC_MESSAGES,
        "x-api-key",
        "client-own",
        "anthropic-version",
        "2026-10-21",
        "anthropic-beta",
        "feat-a,feat-b");

    Received first = anthropic.awaitRequest(1, Duration.ofSeconds(5));
    assertThat(first.header("x-api-key")).isEqualTo(RouterHarness.keyOf("an-main"));
    assertThat(first.header("authorization")).isNull();
    assertThat(first.header("anthropic-version")).isEqualTo("2023-06-01");

    Received second = anthropic.awaitRequest(2, Duration.ofSeconds(5));
    assertThat(second.header("x-api-key")).isEqualTo(RouterHarness.keyOf("an-main"));
    assertThat(second.header("anthropic-version")).isEqualTo("2026-10-21");
    assertThat(second.header("anthropic-beta")).isEqualTo("feat-a,feat-b");
  }

  @Test
  void returnsTheUpstreamResponseWithRouterHeaders() {
    HttpResponse<String> response = router.post("/openai/chat/completions", OPENAI_CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-router-provider")).hasValue("oa-main");
    assertThat(response.headers().firstValue("x-router-attempts")).hasValue("1");
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    assertThat(response.body()).contains("\"hello\"").contains("chat.completion");
  }

  @Test
  void invalidJsonIsRejectedInTheEndpointsShapeWithoutAnUpstreamCall() {
    HttpResponse<String> oa = router.post("/openai/chat/completions", "{\"model\": ");
    HttpResponse<String> an = router.post("/anthropic/v1/messages", "[1,2]");
    HttpResponse<String> stream =
        router.post("/openai/chat/completions", "{\"model\":\"m\",\"stream\":\"yes\"}");

    assertThat(oa.statusCode()).isEqualTo(400);
    assertThat(oa.body()).contains("\"error\"").contains("\"type\":\"invalid_request_error\"");
    assertThat(an.statusCode()).isEqualTo(400);
    assertThat(an.body())
        .startsWith("{\"type\":\"error\"")
        .contains("\"type\":\"invalid_request_error\"");
    assertThat(stream.statusCode()).isEqualTo(400);
    assertThat(openai.requestCount()).isZero();
    assertThat(anthropic.requestCount()).isZero();
  }
}
