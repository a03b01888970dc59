package dev.llmrouter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.Version;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.wire.Api;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The router's own pages, 404 and 405. */
class HttpSurfaceTest {

  private static FakeUpstream fake;
  private static RouterHarness router;

  @BeforeAll
  static void start() {
    fake = FakeUpstream.start();
    router =
        RouterHarness.builder()
            .openai("oa-1", fake)
            .openai("oa-2", fake)
            .anthropic("an-1", fake)
            .start();
  }

  @AfterAll
  static void stop() {
    router.close();
    fake.close();
  }

  @Test
  void rootNamesTheRouterVersionAndEndpoints() {
    HttpResponse<String> r = router.get("/");
    JsonNode root = Json.MAPPER.readTree(r.body());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(root.path("name").asString()).isEqualTo("llm-api-router");
    assertThat(root.path("version").asString()).isEqualTo(Version.get());
    assertThat(root.path("endpoints").path("openai").toString())
        .contains("/openai/chat/completions");
  }

  @Test
  void healthListsProvidersByNamePriorityAndStateButNoKey() {
    HttpResponse<String> r = router.get("/health");
    JsonNode health = Json.MAPPER.readTree(r.body());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(health.path("status").asString()).isEqualTo("ok");
    JsonNode openai = health.path("endpoints").path("openai").path("providers");
    assertThat(openai).hasSize(2);
    assertThat(openai.get(0).path("name").asString()).isEqualTo("oa-1");
    assertThat(openai.get(0).path("priority").asInt()).isEqualTo(1);
    assertThat(openai.get(0).path("state").asString()).isEqualTo("healthy");
    assertThat(health.path("endpoints").path("anthropic").path("providers")).hasSize(1);
    assertThat(r.body()).doesNotContain("canary").doesNotContain("sk-");
  }

  @Test
  void openApiDocumentIsValidAndNamesEveryPath() {
    HttpResponse<String> r = router.get("/openapi.json");
    JsonNode doc = Json.MAPPER.readTree(r.body());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(doc.path("openapi").asString()).startsWith("3.");
    assertThat(doc.path("info").path("title").asString()).isEqualTo("llm-api-router");
    assertThat(doc.path("info").path("version").asString()).isEqualTo(Version.get());
    List<String> paths = new ArrayList<>(doc.path("paths").propertyNames());
    assertThat(paths)
        .contains(
            "/openai/chat/completions",
            "/openai/v1/chat/completions",
            "/anthropic/chat/completions",
            "/anthropic/v1/messages",
            "/openai/models",
            "/openai/v1/models",
            "/openai/v1/models/{id}",
            "/anthropic/v1/models",
            "/anthropic/v1/models/{id}",
            "/health",
            "/openapi.json",
            "/docs");
    // The gateway key's three spellings, optional (a router without server.api_keys asks none),
    // and never for the probes; /health's 503 for a router that must be restarted.
    assertThat(doc.path("components").path("securitySchemes").propertyNames())
        .containsExactlyInAnyOrder("bearer", "apiKey", "basic");
    assertThat(doc.path("security").get(0).isEmpty()).isTrue();
    assertThat(doc.path("paths").path("/health").path("get").path("security").toString())
        .isEqualTo("[{}]");
    assertThat(doc.path("paths").path("/health").path("get").path("responses").has("503")).isTrue();
    // Every route the router serves is documented, with the same paths as the root page lists.
    JsonNode root = Json.MAPPER.readTree(router.get("/").body()).path("endpoints");
    for (Api api : Api.values()) {
      for (String route : Route.documented(api)) {
        String method = route.substring(0, route.indexOf(' ')).toLowerCase(java.util.Locale.ROOT);
        String path = route.substring(route.indexOf(' ') + 1);
        assertThat(doc.path("paths").path(path).has(method)).as(route).isTrue();
        assertThat(root.path(api.id()).toString()).as(route).contains("\"" + path + "\"");
        if (!path.contains("{")) {
          assertThat(Route.of(path)).as(route).isNotNull();
        }
      }
    }
  }

  @Test
  void docsPageIsSelfContained() {
    HttpResponse<String> r = router.get("/docs");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(r.body()).contains("<html").contains("/anthropic/v1/messages");
    // Air-gapped: no script, style or font from anywhere else.
    assertThat(r.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
  }

  @Test
  void unknownPathIs404JsonInTheDialectOfItsPrefix() {
    HttpResponse<String> plain = router.get("/nope");
    HttpResponse<String> oa = router.post("/openai/nothing/x", "{}");
    HttpResponse<String> an = router.post("/anthropic/v1/v1/messages", "{}");

    assertThat(plain.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(plain.body()).path("error").path("message").asString())
        .contains("/nope");
    assertThat(oa.statusCode()).isEqualTo(404);
    assertThat(oa.body()).startsWith("{\"error\"");
    assertThat(an.statusCode()).isEqualTo(404);
    assertThat(an.body())
        .startsWith("{\"type\":\"error\"")
        .contains("base URL", "routes are:", "/anthropic/v1/messages/count_tokens");
  }

  @Test
  void wrongMethodIs405WithAllow() {
    HttpResponse<String> get = router.get("/openai/chat/completions");
    HttpResponse<String> post = router.post("/health", "{}");
    HttpResponse<String> delete =
        RouterHarness.send(
            HttpRequest.newBuilder(router.uri("/anthropic/v1/messages"))
                .timeout(Duration.ofSeconds(5))
                .DELETE()
                .build());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).hasValue("POST");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.body()).startsWith("{\"type\":\"error\"");
    assertThat(fake.requestCount()).isZero();
  }

  /** Codex CLI's built-in provider tries a WebSocket first, and goes to HTTP at once on a 426. */
  @Test
  @SuppressWarnings("StringConcatToTextBlock") // CR LF line ends, as on the wire
  void aWebSocketUpgradeIs426InTheRoutesShape() {
    RawHttp.Answer answer =
        RawHttp.exchange(
            router.router().port(),
            "GET /openai/v1/responses HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Connection: Upgrade\r\n"
                + "Upgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

    assertThat(answer.status()).isEqualTo(426);
    assertThat(answer.text()).contains("\"code\":\"upgrade_required\"", "over HTTP");
    assertThat(fake.requestCount()).isZero();
  }
}
