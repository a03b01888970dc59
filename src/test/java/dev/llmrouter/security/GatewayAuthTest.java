package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Gateway auth over real sockets: who gets in, in which shape the rest is refused. */
class GatewayAuthTest {

  private static final String KEY = "gw-canary-key-0123456789";
  private static final String OTHER_KEY = "gw-second-key-abcdef";

  private FakeUpstream openai;
  private FakeUpstream anthropic;
  private RouterHarness router;

  @BeforeEach
  void start() {
    openai = FakeUpstream.start().always(Reply.openAiOk());
    anthropic = FakeUpstream.start().always(Reply.anthropicOk());
    router =
        RouterHarness.builder()
            .apiKeys(KEY, OTHER_KEY)
            .openai("oa", openai)
            .anthropic("an", anthropic)
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    openai.close();
    anthropic.close();
  }

  private HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(router.uri(path)).timeout(Duration.ofSeconds(5)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return RouterHarness.send(b.build());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void missingOrWrongKeyIs401InTheEndpointsShapeWithoutAnUpstreamCall() {
    HttpResponse<String> none = router.post("/openai/chat/completions", OPENAI_CHAT);
    HttpResponse<String> wrong =
        router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", "Bearer nope");
    HttpResponse<String> anthropicNone = router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES);
    HttpResponse<String> anthropicWrong =
        router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES, "x-api-key", KEY + "x");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).startsWith("{\"error\"").contains("invalid_api_key");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(anthropicNone.statusCode()).isEqualTo(401);
    assertThat(anthropicNone.body())
        .startsWith("{\"type\":\"error\"")
        .contains("authentication_error");
    // The id the router logged the request by, where the Anthropic SDK reads it.
    String id = anthropicNone.headers().firstValue("x-router-request-id").orElseThrow();
    assertThat(anthropicNone.headers().firstValue("request-id")).hasValue(id);
    assertThat(anthropicWrong.statusCode()).isEqualTo(401);
    assertThat(openai.requestCount()).isZero();
    assertThat(anthropic.requestCount()).isZero();
  }

  @Test
  void bearerOrXApiKeyGetsThroughAndIsNeverForwarded() {
    HttpResponse<String> bearer =
        router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", "Bearer " + KEY);
    HttpResponse<String> xApiKey =
        router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES, "x-api-key", OTHER_KEY);
    HttpResponse<String> anthropicBearer =
        router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES, "Authorization", "Bearer " + KEY);

    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(xApiKey.statusCode()).isEqualTo(200);
    assertThat(anthropicBearer.statusCode()).isEqualTo(200);
    Received up = openai.awaitRequest(1, Duration.ofSeconds(5));
    assertThat(up.header("authorization")).isEqualTo("Bearer " + RouterHarness.keyOf("oa"));
    assertThat(up.headers().toString()).doesNotContain(KEY);
    Received upAnthropic = anthropic.awaitRequest(1, Duration.ofSeconds(5));
    assertThat(upAnthropic.header("x-api-key")).isEqualTo(RouterHarness.keyOf("an"));
    assertThat(upAnthropic.headers().toString()).doesNotContain(OTHER_KEY);
  }

  @Test
  void healthNeedsNoKey() {
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/openapi.json", "/docs", "/metrics"})
  void pagesAsk401WithBasicChallengeAndAcceptTheKeyAsPassword(String path) {
    HttpResponse<String> none = get(path);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate"))
        .hasValue("Basic realm=\"llm-api-router\"");
    assertThat(none.headers().firstValue("content-type")).hasValue("application/json");

    HttpResponse<String> basic = get(path, "Authorization", basic("me", KEY));
    HttpResponse<String> wrongBasic = get(path, "Authorization", basic(KEY, "wrong"));

    assertThat(basic.statusCode()).isNotEqualTo(401);
    assertThat(wrongBasic.statusCode()).isEqualTo(401);
  }

  @Test
  void docsWithBasicAuthEmbedsItsDocument() {
    HttpResponse<String> docs = get("/docs", "Authorization", basic("", KEY));

    assertThat(docs.statusCode()).isEqualTo(200);
    assertThat(docs.body()).contains("\"openapi\"").contains("/openai/chat/completions");
  }

  @Test
  void basicCredentialsOpenTheGetPagesOnlyNotAnUnknownPathNorAnotherMethod() {
    String key = basic("me", KEY);
    HttpResponse<String> unknown = get("/no-such-page", "Authorization", key);
    HttpResponse<String> unknownUnderApi = get("/openai/v1/nope", "Authorization", key);
    HttpResponse<String> postToPage =
        RouterHarness.send(
            HttpRequest.newBuilder(router.uri("/docs"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", key)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    HttpResponse<String> unknownWithBearer = get("/no-such-page", "Authorization", "Bearer " + KEY);

    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("www-authenticate")).isEmpty();
    assertThat(unknownUnderApi.statusCode()).isEqualTo(401);
    assertThat(unknownUnderApi.body()).startsWith("{\"error\"");
    assertThat(postToPage.statusCode()).isEqualTo(401);
    assertThat(unknownWithBearer.statusCode()).isEqualTo(404); // the API's key still finds out
  }

  @Test
  void basicCredentialsDoNotOpenTheProxyPaths() {
    HttpResponse<String> r =
        router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", basic("u", KEY));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(openai.requestCount()).isZero();
  }

  @Test
  void logsAKeyIdNeverTheKey() {
    router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", "Bearer " + KEY);
    router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", "Bearer wrong-key-xyz");

    List<String> lines = router.closeAndReadLog();

    // In the order the responses were finished: either may come first.
    assertThat(lines).hasSize(2);
    assertThat(lines)
        .filteredOn(l -> l.contains("\"status\":200"))
        .singleElement()
        .asString()
        .containsPattern("\"client_key\":\"key_[0-9a-f]{8}\"");
    assertThat(lines).filteredOn(l -> l.contains("\"status\":401")).hasSize(1);
    assertThat(String.join("\n", lines)).doesNotContain(KEY).doesNotContain("wrong-key-xyz");
  }

  @Test
  void refusalsCarryTheirRequestIdAndTheLogKeepsTheKeyIdOfAValidKey() {
    HttpResponse<String> unauthorized =
        router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", "Bearer wrong-key");
    HttpResponse<String> nowhere =
        router.post("/openai/v1/images/generations", "{}", "Authorization", "Bearer " + KEY);

    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(nowhere.statusCode()).isEqualTo(404);
    List<String> lines = router.closeAndReadLog();
    assertThat(lines).hasSize(2);
    for (HttpResponse<String> r : List.of(unauthorized, nowhere)) {
      String id = r.headers().firstValue("x-router-request-id").orElseThrow();
      assertThat(lines).filteredOn(l -> l.contains("\"request_id\":\"" + id + "\"")).hasSize(1);
    }
    assertThat(lines)
        .filteredOn(l -> l.contains("\"status\":404"))
        .singleElement()
        .asString()
        .containsPattern("\"client_key\":\"key_[0-9a-f]{8}\"");
  }
}
