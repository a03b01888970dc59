package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keys spelt where a scan of UTF-8 text finds no whole key: in a wide encoding, in a header's name,
 * or split by a cut the router makes before the scan. None reaches a client, a provider or a log,
 * not even in part.
 */
class SecretSpellingsTest {

  private static final String GATEWAY_KEY = "gw-canary-secret-gateway-777";
  private static final String KEY = RouterHarness.keyOf("up"); // sk-test-up-canary-0123456789

  private final FakeUpstream up = FakeUpstream.start();
  private RouterHarness router;

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    up.close();
  }

  private void start(long maxResponseBytes) {
    router =
        RouterHarness.builder()
            .apiKeys(GATEWAY_KEY)
            .maxResponseBytes(maxResponseBytes)
            .openai(provider("up", up.baseUrl() + "/v1", Duration.ofSeconds(5), 0))
            .start();
  }

  private HttpResponse<String> post(String path, String body, String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + GATEWAY_KEY));
    all.addAll(List.of(headers));
    return router.post(path, body, all.toArray(String[]::new));
  }

  /** Both log files, after the router closed (every record written). */
  private String logs() throws IOException {
    router.close();
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(router.logDir())) {
      for (Path p : files.toList()) {
        all.append(Files.readString(p)).append('\n');
      }
    }
    return all.toString();
  }

  /** An HTTP/1.1 answer whose body is {@code json} in UTF-16BE, as its Content-Type says. */
  private static Reply utf16(int status, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_16BE);
    byte[] head =
        ("HTTP/1.1 "
                + status
                + " Error\r\nContent-Type: application/json; charset=utf-16\r\n"
                + "Content-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] raw = new byte[head.length + body.length];
    System.arraycopy(head, 0, raw, 0, head.length);
    System.arraycopy(body, 0, raw, head.length, body.length);
    return Reply.raw(raw);
  }

  private static String keyError(String code) {
    return "{\"error\":{\"message\":\"Incorrect API key provided: "
        + KEY
        + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":"
        + code
        + "}}";
  }

  @Test
  void anErrorBodyInUtf16IsPassedOnAsUtf8WithItsKeyRedacted() throws IOException {
    start(1 << 20);
    up.enqueue(utf16(400, keyError("null")));

    HttpResponse<String> r = post("/openai/chat/completions", OPENAI_CHAT);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    assertThat(Json.MAPPER.readTree(r.body()).path("error").path("message").asString())
        .isEqualTo("Incorrect API key provided: [REDACTED]");
    assertThat(logs()).contains("Incorrect API key provided: [REDACTED]").doesNotContain("\\u0000");
  }

  @Test
  void aRejectedKeyQuotedInUtf16StaysOutOfTheRoutersOwnMessage() throws IOException {
    start(1 << 20);
    up.enqueue(utf16(401, keyError("\"invalid_api_key\"")));

    HttpResponse<String> r = post("/openai/chat/completions", OPENAI_CHAT);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body())
        .contains("Incorrect API key provided: [REDACTED]")
        .doesNotContain("\\u0000");
    assertThat(logs()).doesNotContain(KEY.substring(0, 12)).doesNotContain("\\u0000");
  }

  @Test
  void aKeyInAnUpstreamHeadersNameDropsThatHeader() {
    start(1 << 20);
    up.enqueue(Reply.openAiOk().withHeader("x-debug-" + KEY, "1").withHeader("x-kept", "1"));

    HttpResponse<String> r = post("/openai/chat/completions", OPENAI_CHAT);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().map().keySet()).noneMatch(name -> name.contains("canary"));
    assertThat(r.headers().firstValue("x-kept")).hasValue("1");
  }

  @Test
  void aRequestBodyCutForTheLogNeverKeepsPartOfAKey() throws IOException {
    start(1024);
    up.always(Reply.openAiOk());
    String head = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"";
    // The key starts 24 bytes before the log's 1024-byte cut.
    String body = head + "a".repeat(1000 - head.length()) + GATEWAY_KEY + "\"}]}";

    assertThat(post("/openai/chat/completions", body).statusCode()).isEqualTo(200);

    assertThat(logs()).contains("\"truncated\":true").doesNotContain(GATEWAY_KEY.substring(0, 8));
  }

  @Test
  void aStreamsTextCutForTheLogNeverKeepsPartOfAKey() throws IOException {
    start(1024);
    List<String> deltas = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      deltas.add("x".repeat(248));
    }
    deltas.add("key is " + KEY); // 999 characters before it: the 1024 cut splits it
    up.enqueue(Reply.sse(Sse.openAi(deltas.toArray(String[]::new))));

    HttpResponse<String> r =
        post("/openai/chat/completions", OPENAI_CHAT.replace("{", "{\"stream\":true,"));

    assertThat(r.body()).contains("key is [REDACTED]");
    assertThat(logs()).contains("\"truncated\":true").doesNotContain(KEY.substring(0, 8));
  }

  @Test
  void anErrorPageCutBeforeItsKeyEndsQuotesNoPartOfIt() throws IOException {
    start(1 << 20);
    // White space collapses: the part of the key before the 64 KiB cut would come up front.
    up.always(Reply.text(500, "text/plain", "error" + " ".repeat(65_506) + KEY + " rejected"));

    HttpResponse<String> r = post("/openai/chat/completions", OPENAI_CHAT);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).doesNotContain(KEY.substring(0, 8));
    assertThat(logs()).doesNotContain(KEY.substring(0, 8));
  }

  @Test
  void anUnknownContentEncodingIsQuotedRedactedNotCutFirst() throws IOException {
    start(1 << 20);
    up.always(Reply.openAiOk().withHeader("Content-Encoding", "z".repeat(15) + KEY));

    HttpResponse<String> r = post("/openai/chat/completions", OPENAI_CHAT);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).doesNotContain(KEY.substring(0, 8));
    assertThat(logs()).doesNotContain(KEY.substring(0, 8));
  }

  @Test
  void aGatewayKeyAsAQueryParametersOrHeadersNameIsNotForwarded() {
    start(1 << 20);
    up.always(Reply.openAiOk());

    HttpResponse<String> r =
        post(
            "/openai/chat/completions?" + GATEWAY_KEY + "=&x=1",
            OPENAI_CHAT,
            "x-" + GATEWAY_KEY,
            "1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(up.received().getFirst().target()).isEqualTo("/v1/chat/completions?x=1");
    assertThat(up.received().getFirst().headers().keySet()).noneMatch(n -> n.contains("canary"));
  }
}
