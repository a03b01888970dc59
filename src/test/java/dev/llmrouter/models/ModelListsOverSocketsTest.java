package dev.llmrouter.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ModelMap;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET .../models and .../models/{id} in each API's format, over real sockets. */
class ModelListsOverSocketsTest {

  private static final String OPENAI_LIST =
      "{\"object\":\"list\",\"data\":[{\"id\":\"llama3.1:8b\",\"object\":\"model\","
          + "\"created\":1700000000,\"owned_by\":\"library\"},{\"id\":\"gpt-4o\","
          + "\"object\":\"model\",\"created\":1,\"owned_by\":\"x\"}]}";
  private static final String ANTHROPIC_LIST =
      "{\"data\":[{\"type\":\"model\",\"id\":\"claude-opus-4-1\",\"display_name\":\"Claude Opus"
          + " 4.1\",\"created_at\":\"2025-08-05T00:00:00Z\"}],\"has_more\":false,"
          + "\"first_id\":\"claude-opus-4-1\",\"last_id\":\"claude-opus-4-1\"}";

  private final FakeUpstream listed = FakeUpstream.start();
  private final FakeUpstream aliased = FakeUpstream.start();
  private final FakeUpstream open = FakeUpstream.start();
  private final FakeUpstream openToo = FakeUpstream.start();
  private RouterHarness router;

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
    for (FakeUpstream f : List.of(listed, aliased, open, openToo)) {
      f.close();
    }
  }

  private RouterHarness.Builder openAiChain() {
    return RouterHarness.builder()
        .openai(
            RouterHarness.provider("listed", listed.baseUrl() + "/v1")
                .withModels(ModelMap.names("gpt-4o", "gpt-4o-mini", "claude-*")))
        .openai(
            RouterHarness.provider("aliased", aliased.baseUrl() + "/v1")
                .withModels(
                    ModelMap.of(
                        List.of(
                            new ModelMap.Entry("gpt-4o", "openai/gpt-4o"),
                            new ModelMap.Entry("o3", "openai/o3")))))
        .openai("open", open)
        .openai("open-too", openToo);
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(m -> ids.add(m.path("id").asString()));
    return ids;
  }

  @Test
  void theOpenAiListHasDeclaredNamesThenTheFirstOpenProvidersOwnInOpenAisFormat() {
    open.always(Reply.json(200, OPENAI_LIST));
    router = openAiChain().start();

    for (String path : List.of("/openai/v1/models", "/openai/models")) {
      HttpResponse<String> r = router.get(path);
      JsonNode body = Json.MAPPER.readTree(r.body());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(body.path("object").asString()).isEqualTo("list");
      // Exact names once each in priority order, no pattern, then the provider's new ones.
      assertThat(ids(body)).containsExactly("gpt-4o", "gpt-4o-mini", "o3", "llama3.1:8b");
      for (JsonNode m : body.path("data")) {
        assertThat(m.path("object").asString()).isEqualTo("model");
        assertThat(m.path("created").isIntegralNumber()).isTrue();
        assertThat(m.path("owned_by").isString()).isTrue();
      }
      assertThat(body.path("data").get(3).path("created").asLong()).isEqualTo(1700000000L);
    }
    Received asked = open.received().get(0);
    assertThat(asked.method()).isEqualTo("GET");
    assertThat(asked.target()).isEqualTo("/v1/models");
    assertThat(asked.header("authorization")).isEqualTo("Bearer " + RouterHarness.keyOf("open"));
    assertThat(listed.requestCount() + aliased.requestCount() + openToo.requestCount()).isZero();
  }

  @Test
  void aProviderKeyInAnUpstreamsListIsRedactedLikeInEveryRelayedBody() {
    String key = RouterHarness.keyOf("open");
    open.always(
        Reply.json(
            200,
            "{\"object\":\"list\",\"data\":[{\"id\":\"m-1\",\"object\":\"model\","
                + "\"created\":1,\"owned_by\":\""
                + key
                + "\"}]}"));
    router = RouterHarness.builder().openai("open", open).start();

    HttpResponse<String> list = router.get("/openai/v1/models");
    HttpResponse<String> one = router.get("/openai/v1/models/m-1");

    for (HttpResponse<String> r : List.of(list, one)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).doesNotContain(key).contains("[REDACTED]");
    }
  }

  @Test
  void aFailingOpenProviderFallsBackAndWhenNoneAnswersTheDeclaredNamesStill200() {
    open.always(Reply.openAiError(500, "server_error", null, "down"));
    openToo.always(Reply.json(200, OPENAI_LIST));
    router = openAiChain().start();

    assertThat(ids(Json.MAPPER.readTree(router.get("/openai/v1/models").body())))
        .containsExactly("gpt-4o", "gpt-4o-mini", "o3", "llama3.1:8b");

    openToo.always(Reply.reset());
    HttpResponse<String> r = router.get("/openai/v1/models");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ids(Json.MAPPER.readTree(r.body()))).containsExactly("gpt-4o", "gpt-4o-mini", "o3");
  }

  @Test
  void oneModelByIdIncludingPatternsAndEncodedSlashesElse404InOpenAisShape() {
    open.always(Reply.json(200, OPENAI_LIST));
    router = openAiChain().start();

    JsonNode one = Json.MAPPER.readTree(router.get("/openai/v1/models/gpt-4o-mini").body());
    assertThat(one.path("id").asString()).isEqualTo("gpt-4o-mini");
    assertThat(one.path("object").asString()).isEqualTo("model");
    assertThat(open.requestCount()).isZero(); // declared: no upstream call needed
    // Only a pattern matches: looked up in the list for its entry, served by the pattern anyway.
    assertThat(router.get("/openai/models/claude-sonnet-4-5").statusCode()).isEqualTo(200);
    assertThat(open.requestCount()).isEqualTo(1);
    assertThat(router.get("/openai/v1/models/llama3.1:8b").statusCode()).isEqualTo(200);

    HttpResponse<String> missing = router.get("/openai/v1/models/openai%2Fnope");
    JsonNode error = Json.MAPPER.readTree(missing.body()).path("error");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("code").asString()).isEqualTo("model_not_found");
    assertThat(error.path("param").asString()).isEqualTo("model");
    assertThat(error.path("message").asString()).contains("openai/nope").contains("gpt-4o-mini");
  }

  @Test
  void anIdMissingFromTheFirstOpenListIsLookedForInTheNextOnes() {
    // A request for it would fall back from "open" to "open-too": the list lookup does as well.
    open.always(Reply.json(200, OPENAI_LIST));
    openToo.always(
        Reply.json(
            200,
            "{\"object\":\"list\",\"data\":[{\"id\":\"qwen3:32b\",\"object\":\"model\","
                + "\"created\":1,\"owned_by\":\"library\"}]}"));
    router = openAiChain().start();

    HttpResponse<String> found = router.get("/openai/v1/models/qwen3:32b");
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(found.body()).path("owned_by").asString()).isEqualTo("library");
    assertThat(open.requestCount()).isEqualTo(1);
    assertThat(openToo.requestCount()).isEqualTo(1);

    // The list itself stays the first answer's; an id in the first list asks no further.
    assertThat(ids(Json.MAPPER.readTree(router.get("/openai/v1/models").body())))
        .doesNotContain("qwen3:32b");
    assertThat(router.get("/openai/v1/models/llama3.1:8b").statusCode()).isEqualTo(200);
    assertThat(openToo.requestCount()).isEqualTo(1);
    assertThat(router.get("/openai/v1/models/nope").statusCode()).isEqualTo(404);
    assertThat(openToo.requestCount()).isEqualTo(2);
  }

  @Test
  void openProvidersOfEqualPriorityAreAllAskedWhicheverTakesItsTurnFirst() {
    // Equal priorities take turns: the one asked first is not always the first configured.
    open.always(Reply.json(200, OPENAI_LIST));
    openToo.always(
        Reply.json(
            200, "{\"object\":\"list\",\"data\":[{\"id\":\"qwen3:32b\",\"object\":\"model\"}]}"));
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(RouterHarness.provider("open", open.baseUrl() + "/v1").withPriority(1))
            .openai(RouterHarness.provider("open-too", openToo.baseUrl() + "/v1").withPriority(1))
            .start();

    for (int i = 0; i < 6; i++) {
      String id = i % 2 == 0 ? "qwen3:32b" : "llama3.1:8b";
      assertThat(router.get("/openai/v1/models/" + id).statusCode()).as(id).isEqualTo(200);
    }
    assertThat(open.requestCount() + openToo.requestCount()).isLessThanOrEqualTo(12);
  }

  @Test
  void theAnthropicListAndModelInAnthropicsFormat() {
    open.always(Reply.json(200, ANTHROPIC_LIST));
    router =
        RouterHarness.builder()
            .anthropic(
                RouterHarness.provider("claude", listed.baseUrl())
                    .withModels(
                        ModelMap.names("claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-*")))
            .anthropic("open", open)
            .start();

    HttpResponse<String> r = router.get("/anthropic/v1/models");
    JsonNode body = Json.MAPPER.readTree(r.body());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ids(body))
        .containsExactly("claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1");
    assertThat(body.path("has_more").asBoolean(true)).isFalse();
    assertThat(body.path("first_id").asString()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.path("last_id").asString()).isEqualTo("claude-opus-4-1");
    JsonNode opus = body.path("data").get(2);
    assertThat(opus.path("type").asString()).isEqualTo("model");
    assertThat(opus.path("display_name").asString()).isEqualTo("Claude Opus 4.1");
    assertThat(opus.path("created_at").asString()).isEqualTo("2025-08-05T00:00:00Z");
    assertThat(body.path("data").get(0).path("created_at").asString()).endsWith("Z");
    Received asked = open.received().get(0);
    assertThat(asked.target()).isEqualTo("/v1/models?limit=1000");
    assertThat(asked.header("x-api-key")).isEqualTo(RouterHarness.keyOf("open"));
    assertThat(asked.header("anthropic-version")).isEqualTo("2023-06-01");

    // Pages as Anthropic's list does: limit, after_id, before_id, has_more.
    JsonNode first = Json.MAPPER.readTree(router.get("/anthropic/v1/models?limit=1").body());
    assertThat(ids(first)).containsExactly("claude-sonnet-4-5");
    assertThat(first.path("has_more").asBoolean()).isTrue();
    assertThat(first.path("last_id").asString()).isEqualTo("claude-sonnet-4-5");
    JsonNode next =
        Json.MAPPER.readTree(
            router.get("/anthropic/v1/models?limit=2&after_id=claude-sonnet-4-5").body());
    assertThat(ids(next)).containsExactly("claude-haiku-4-5", "claude-opus-4-1");
    assertThat(next.path("has_more").asBoolean(true)).isFalse();
    JsonNode back =
        Json.MAPPER.readTree(
            router.get("/anthropic/v1/models?limit=1&before_id=claude-opus-4-1").body());
    assertThat(ids(back)).containsExactly("claude-haiku-4-5");
    assertThat(back.path("has_more").asBoolean()).isTrue();
    // A limit Anthropic refuses is refused as Anthropic does, not read as another page size.
    int listed = open.requestCount();
    for (String limit : List.of("0", "1001", "abc", "-1", "")) {
      HttpResponse<String> refused = router.get("/anthropic/v1/models?limit=" + limit);
      assertThat(refused.statusCode()).as(limit).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("type").asString())
          .isEqualTo("invalid_request_error");
    }
    assertThat(open.requestCount()).isEqualTo(listed); // refused before any list is asked

    JsonNode one = Json.MAPPER.readTree(router.get("/anthropic/v1/models/claude-haiku-4-5").body());
    assertThat(one.path("type").asString()).isEqualTo("model");
    assertThat(one.path("id").asString()).isEqualTo("claude-haiku-4-5");
    // Matched by a pattern and in the upstream's list: the list's own entry, as the list shows it.
    JsonNode opusById =
        Json.MAPPER.readTree(router.get("/anthropic/v1/models/claude-opus-4-1").body());
    assertThat(opusById).isEqualTo(opus);
    HttpResponse<String> missing = router.get("/anthropic/v1/models/gpt-4o");
    JsonNode error = Json.MAPPER.readTree(missing.body());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error.path("type").asString()).isEqualTo("error");
    assertThat(error.path("error").path("type").asString()).isEqualTo("not_found_error");
  }

  /**
   * Anthropic's list shows dated ids; its GET /v1/models/{id} resolves an alias, which chat sends
   * to a provider that serves any model as it is: asked there before a 404 says it does not exist.
   */
  @Test
  void anAliasNoListShowsIsAskedOfTheProvidersThatServeAnyModel() {
    String dated =
        "{\"type\":\"model\",\"id\":\"claude-sonnet-4-5-20250929\",\"display_name\":"
            + "\"Claude Sonnet 4.5\",\"created_at\":\"2025-09-29T00:00:00Z\"}";
    open.enqueue(Reply.json(200, ANTHROPIC_LIST), Reply.json(200, dated));
    open.always(Reply.anthropicError(404, "not_found_error", "model: nope"));
    router =
        RouterHarness.builder()
            .anthropic(
                RouterHarness.provider("ds", listed.baseUrl())
                    .withModels(ModelMap.names("deepseek-chat")))
            .anthropic("open", open)
            .apiKeys("gw-secret-key-1")
            .start();

    HttpResponse<String> alias = getWithKey("/anthropic/v1/models/claude-sonnet-4-5");
    HttpResponse<String> nope = getWithKey("/anthropic/v1/models/nope");
    HttpResponse<String> key = getWithKey("/anthropic/v1/models/gw-secret-key-1");

    assertThat(alias.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(alias.body())).isEqualTo(Json.MAPPER.readTree(dated));
    assertThat(open.received().get(1).target()).isEqualTo("/v1/models/claude-sonnet-4-5");
    assertThat(open.received().get(1).header("x-api-key")).isEqualTo(RouterHarness.keyOf("open"));
    assertThat(nope.statusCode()).isEqualTo(404);
    assertThat(open.received().get(3).target()).isEqualTo("/v1/models/nope");
    assertThat(key.statusCode()).isEqualTo(404);
    assertThat(open.received()).noneMatch(r -> r.target().contains("gw-secret-key-1"));
  }

  @Test
  void aLookupThatCouldNotBeMadeIsItsFailureNotA404AndADotSegmentIsNeverSent() {
    open.enqueue(
        Reply.json(200, ANTHROPIC_LIST),
        Reply.anthropicError(500, "api_error", "Internal server error"));
    open.always(Reply.json(200, ANTHROPIC_LIST));
    router = RouterHarness.builder().anthropic("open", open).start();

    HttpResponse<String> failed = router.get("/anthropic/v1/models/claude-sonnet-4-5");
    int asked = open.requestCount();
    HttpResponse<String> dots = router.get("/anthropic/v1/models/%2E%2E");

    // The provider could not say whether it has the model: a 404 would tell the SDK for good.
    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(dots.statusCode()).isEqualTo(404);
    assertThat(open.received().subList(asked, open.requestCount()))
        .noneMatch(r -> r.target().startsWith("/v1/models/"));
  }

  private HttpResponse<String> getWithKey(String path) {
    return RouterHarness.send(
        HttpRequest.newBuilder(router.uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("x-api-key", "gw-secret-key-1")
            .GET()
            .build());
  }

  @Test
  void gatewayKeysApplyAndEachListIsLogged() {
    router = openAiChain().apiKeys("gw-secret-key-1").start();
    open.always(Reply.json(200, OPENAI_LIST));

    assertThat(router.get("/openai/v1/models").statusCode()).isEqualTo(401);
    HttpResponse<String> r =
        RouterHarness.send(
            HttpRequest.newBuilder(router.uri("/openai/v1/models"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer gw-secret-key-1")
                .GET()
                .build());
    assertThat(r.statusCode()).isEqualTo(200);

    List<String> log = router.closeAndReadLog();
    JsonNode record = Json.MAPPER.readTree(log.get(log.size() - 1));
    assertThat(record.path("path").asString()).isEqualTo("/openai/v1/models");
    assertThat(record.path("status").asInt()).isEqualTo(200);
    assertThat(record.path("attempts").get(0).path("provider").asString()).isEqualTo("open");
  }
}
