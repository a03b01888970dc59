package dev.llmrouter.providers;

import static dev.llmrouter.providers.Providers.alias;
import static dev.llmrouter.providers.Providers.anthropic;
import static dev.llmrouter.providers.Providers.json;
import static dev.llmrouter.providers.Providers.onlyRecord;
import static dev.llmrouter.providers.Providers.openai;
import static dev.llmrouter.providers.Providers.utf8;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ModelMap;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Which providers a request reaches by its {@code model}, what each of them receives, and what the
 * router answers by itself when nobody serves the model: a real router on real sockets.
 */
class ModelRoutingOverSocketsTest {

  private static final String CHAT = "/openai/chat/completions";
  private static final String MESSAGES = "/anthropic/v1/messages";

  private FakeUpstream a;
  private FakeUpstream b;
  private FakeUpstream c;
  private FakeUpstream d;
  private RouterHarness router;

  @BeforeEach
  void startFakes() {
    a = FakeUpstream.start();
    b = FakeUpstream.start();
    c = FakeUpstream.start();
    d = FakeUpstream.start();
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    a.close();
    b.close();
    c.close();
    d.close();
  }

  private static Reply unavailable() {
    return Reply.openAiError(503, "server_error", null, "overloaded");
  }

  private static String modelSent(FakeUpstream fake, int i) {
    return json(fake.received().get(i).body()).path("model").asString();
  }

  @Test
  void aRequestReachesOnlyTheProvidersServingItsModelInPriorityOrder() {
    b.always(unavailable());
    d.always(Reply.openAiOk("from mini-b"));
    // Added out of order: the priorities, not the order written, decide.
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("mini-b", d, 4, ModelMap.names("gpt-4o-mini")))
            .openai(openai("four-o-a", a, 1, ModelMap.names("gpt-4o")))
            .openai(openai("four-o-b", c, 3, ModelMap.names("gpt-4o")))
            .openai(openai("mini-a", b, 2, ModelMap.names("gpt-4o-mini")))
            .start();

    HttpResponse<String> r = router.post(CHAT, OPENAI_CHAT); // asks for gpt-4o-mini

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("from mini-b");
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("mini-b");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
    assertThat(a.requestCount()).isZero();
    assertThat(c.requestCount()).isZero();
    assertThat(b.requestCount()).isEqualTo(1);
    assertThat(d.requestCount()).isEqualTo(1);
    JsonNode attempts = onlyRecord(router).path("attempts");
    assertThat(attempts.valueStream().map(x -> x.path("provider").asString()))
        .containsExactly("mini-a", "mini-b");
  }

  @Test
  void onlyTheTopLevelModelValueChangesEveryOtherByteIsTheClients() {
    // Unicode before the model (byte offsets are not char offsets), odd spacing, number formats,
    // unknown fields, and "model" keys nested in messages and metadata that must stay as they are.
    String prefix =
        "{ \"messages\" :[ {\"role\":\"user\",\"content\":\"h\u00e9llo \u65e5\u672c \ud83d\ude00"
            + " \\u00e9 \\\"q\\\"\",\"model\":\"gpt-4o\"} ],\n"
            + "\t\"metadata\": {\"model\": \"gpt-4o\", \"note\": \"\u00fc\"},"
            + "\"temperature\":1.50e3, \"x_unknown\" : [1, 2.0 , null, -0],\n  \"model\"  :   ";
    String suffix = " , \"max_tokens\":  16 ,\"top_p\":1E-2}";
    String body = prefix + "\"gpt-4o\"" + suffix;
    a.always(unavailable());
    b.always(Reply.openAiOk("unchanged"));
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("renames", a, 1, alias("gpt-4o", "openai/gpt-4o")))
            .openai(openai("same-name", b, 2, ModelMap.names("gpt-4o")))
            .start();

    HttpResponse<String> r = router.post(CHAT, body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(a.received().get(0).body()).isEqualTo(utf8(prefix + "\"openai/gpt-4o\"" + suffix));
    assertThat(b.received().get(0).body()).isEqualTo(utf8(body));
  }

  @Test
  void anEscapedModelNameRoutesByItsValueAndOnlyTheRenamingProviderLosesTheEscape() {
    String body = "{\"model\":\"gpt\\u002d4o\",\"messages\":[]}";
    a.always(unavailable());
    b.always(Reply.openAiOk());
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("pattern", a, 1, alias("gpt-*", "v/*")))
            .openai(openai("exact", b, 2, ModelMap.names("gpt-4o")))
            .start();

    HttpResponse<String> r = router.post(CHAT, body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(a.received().get(0).body()).isEqualTo(utf8("{\"model\":\"v/4o\",\"messages\":[]}"));
    assertThat(b.received().get(0).body()).isEqualTo(utf8(body));
  }

  @Test
  void anExactNameBeatsAPatternAndALongerPrefixBeatsAShorterOne() {
    a.always(Reply.openAiOk());
    // Declared from least to most specific: the order written must not decide.
    ModelMap models =
        ModelMap.of(
            List.of(
                new ModelMap.Entry("*", "any/*"),
                new ModelMap.Entry("gpt-*", "short/*"),
                new ModelMap.Entry("gpt-4o*", "long/*"),
                new ModelMap.Entry("gpt-4o", "exact-4o")));
    router = RouterHarness.builder().keepPriorities().openai(openai("one", a, 1, models)).start();
    Map<String, String> expected =
        Map.of(
            "gpt-4o", "exact-4o",
            "gpt-4o-mini", "long/-mini",
            "gpt-3.5-turbo", "short/3.5-turbo",
            "o1", "any/o1");
    List<String> asked = List.of("gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "o1");

    List<String> headers = new ArrayList<>();
    for (String model : asked) {
      HttpResponse<String> r = router.post(CHAT, "{\"model\":\"" + model + "\",\"messages\":[]}");
      assertThat(r.statusCode()).isEqualTo(200);
      headers.add(r.headers().firstValue("x-router-model").orElse(null));
    }

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      sent.add(modelSent(a, i));
    }
    List<String> want = asked.stream().map(expected::get).toList();
    assertThat(sent).isEqualTo(want);
    assertThat(headers).isEqualTo(want);
  }

  @Test
  void theResponsePassesThroughAndHeadersAndLogNameTheUpstreamModelThatAnswered() {
    String upstreamBody =
        "{\"id\":\"chatcmpl-1\",  \"object\":\"chat.completion\",\"model\":\"openai/gpt-4o\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"h\u00e9 \\u00e9\"},\"finish_reason\":\"stop\"}] ,\"usage\":{\"prompt_tokens\":3,"
            + "\"completion_tokens\":1,\"total_tokens\":4}}";
    a.always(unavailable());
    b.always(Reply.json(200, upstreamBody).withHeader("x-upstream-marker", "m-1"));
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("primary", a, 1, alias("smart", "azure-gpt-4o")))
            .openai(openai("backup", b, 2, alias("smart", "openai/gpt-4o")))
            .start();

    HttpResponse<String> r = router.post(CHAT, "{\"model\":\"smart\",\"messages\":[]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(upstreamBody);
    assertThat(r.headers().firstValue("x-upstream-marker")).hasValue("m-1");
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("backup");
    assertThat(r.headers().firstValue("x-router-model")).hasValue("openai/gpt-4o");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
    JsonNode record = onlyRecord(router);
    assertThat(record.path("model").asString()).isEqualTo("smart");
    assertThat(record.path("provider").asString()).isEqualTo("backup");
    JsonNode attempts = record.path("attempts");
    assertThat(attempts.size()).isEqualTo(2);
    assertThat(attempts.get(0).path("provider").asString()).isEqualTo("primary");
    assertThat(attempts.get(0).path("model").asString()).isEqualTo("azure-gpt-4o");
    assertThat(attempts.get(0).path("status").asInt()).isEqualTo(503);
    assertThat(attempts.get(1).path("provider").asString()).isEqualTo("backup");
    assertThat(attempts.get(1).path("model").asString()).isEqualTo("openai/gpt-4o");
    assertThat(attempts.get(1).path("action").asString()).isEqualTo("success");
  }

  @Test
  void aStreamedRequestIsSentTheProvidersModelIdAndItsStreamRelayed() {
    a.always(Reply.sse(Sse.openAi("Hel", "lo")));
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("streams", a, 1, alias("fast", "gpt-4o-mini-2024-07-18")))
            .start();
    String body = "{\"stream\" : true, \"model\":\"fast\",\"messages\":[]}";

    HttpResponse<String> r = router.post(CHAT, body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-model")).hasValue("gpt-4o-mini-2024-07-18");
    assertThat(r.body()).contains("\"Hel\"").contains("\"lo\"").contains("data: [DONE]");
    assertThat(a.received().get(0).body())
        .isEqualTo(
            utf8("{\"stream\" : true, \"model\":\"gpt-4o-mini-2024-07-18\",\"messages\":[]}"));
  }

  @Test
  void aModelNobodyServesIs404InOpenAiShapeNamingAtMost20ServedNamesWithoutAnUpstreamCall() {
    List<ModelMap.Entry> first = new ArrayList<>();
    List<ModelMap.Entry> second = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      String name = String.format("model-%02d", i);
      // 1..15 on the first, 10..25 on the second: 25 distinct names, six declared twice.
      if (i <= 15) {
        first.add(new ModelMap.Entry(name, name));
      }
      if (i >= 10) {
        second.add(new ModelMap.Entry(name, "up-" + name));
      }
    }
    first.add(new ModelMap.Entry("ft-*", "ft/*")); // a pattern is not a name to list
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("one", a, 1, ModelMap.of(first)))
            .openai(openai("two", b, 2, ModelMap.of(second)))
            .start();

    HttpResponse<String> r = router.post(CHAT, "{\"model\":\"gpt-5-nope\",\"messages\":[]}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("0"); // as the console's
    JsonNode body = json(r.body());
    assertThat(body.propertyNames()).containsExactly("error");
    JsonNode error = body.path("error");
    assertThat(error.propertyNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asString()).isEqualTo("model");
    assertThat(error.path("code").asString()).isEqualTo("model_not_found");
    String message = error.path("message").asString();
    assertThat(message).contains("gpt-5-nope").contains("and 5 more").doesNotContain("ft-");
    for (int i = 1; i <= 25; i++) {
      String name = String.format("model-%02d", i);
      if (i <= 20) {
        assertThat(message).contains(name);
      } else {
        assertThat(message).doesNotContain(name);
      }
    }
    assertThat(a.requestCount() + b.requestCount()).isZero();
    JsonNode record = onlyRecord(router);
    assertThat(record.path("status").asInt()).isEqualTo(404);
    assertThat(record.path("model").asString()).isEqualTo("gpt-5-nope");
    assertThat(record.path("attempts").isArray()).isTrue();
    assertThat(record.path("attempts").size()).isZero();
    assertThat(record.path("response")).isEqualTo(body); // the answer the client got, logged
  }

  @Test
  void aModelNobodyServesIs404InAnthropicShapeOnTheMessagesEndpoint() {
    router =
        RouterHarness.builder()
            .keepPriorities()
            .anthropic(
                anthropic("claude", a, 1)
                    .withModels(ModelMap.names("claude-sonnet-4-5", "claude-haiku-4-5")))
            .start();

    HttpResponse<String> r =
        router.post(MESSAGES, "{\"model\":\"claude-opus-9\",\"max_tokens\":8,\"messages\":[]}");

    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode body = json(r.body());
    assertThat(body.propertyNames()).containsExactlyInAnyOrder("type", "error");
    assertThat(body.path("type").asString()).isEqualTo("error");
    assertThat(body.path("error").propertyNames()).containsExactlyInAnyOrder("type", "message");
    assertThat(body.path("error").path("type").asString()).isEqualTo("not_found_error");
    assertThat(body.path("error").path("message").asString())
        .contains("claude-opus-9")
        .contains("claude-sonnet-4-5")
        .contains("claude-haiku-4-5");
    assertThat(a.requestCount()).isZero();
  }

  @Test
  void aBodyWithoutAStringModelGoesOnlyToProvidersWithoutModelsAndUnchanged() {
    b.always(Reply.openAiOk());
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("listed", a, 1, ModelMap.names("gpt-4o")))
            .openai(openai("open", b, 2))
            .start();
    String none = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String number = "{\"model\": 42 ,\"messages\":[]}";

    HttpResponse<String> one = router.post(CHAT, none);
    HttpResponse<String> two = router.post(CHAT, number);

    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(two.statusCode()).isEqualTo(200);
    assertThat(one.headers().firstValue("x-router-provider")).hasValue("open");
    assertThat(one.headers().firstValue("x-router-model")).isEmpty();
    assertThat(a.requestCount()).isZero();
    assertThat(b.received().get(0).body()).isEqualTo(utf8(none));
    assertThat(b.received().get(1).body()).isEqualTo(utf8(number));
  }

  @Test
  void aBodyWithoutModelIs400OnBothEndpointsWhenEveryProviderListsItsModels() {
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("listed", a, 1, ModelMap.names("gpt-4o")))
            .anthropic(anthropic("claude", b, 1).withModels(ModelMap.names("claude-sonnet-4-5")))
            .start();

    HttpResponse<String> oa = router.post(CHAT, "{\"messages\":[]}");
    HttpResponse<String> an = router.post(MESSAGES, "{\"max_tokens\":8,\"messages\":[]}");

    assertThat(oa.statusCode()).isEqualTo(400);
    JsonNode oaError = json(oa.body()).path("error");
    assertThat(oaError.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(oaError.path("param").asString()).isEqualTo("model");
    assertThat(oaError.path("message").asString()).contains("'model'").contains("gpt-4o");
    assertThat(an.statusCode()).isEqualTo(400);
    JsonNode anBody = json(an.body());
    assertThat(anBody.path("type").asString()).isEqualTo("error");
    assertThat(anBody.path("error").path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(anBody.path("error").path("message").asString())
        .contains("'model'")
        .contains("claude-sonnet-4-5");
    assertThat(a.requestCount() + b.requestCount()).isZero();
    List<String> log = router.closeAndReadLog();
    assertThat(log).hasSize(2);
    for (String line : log) {
      assertThat(json(line).path("status").asInt()).isEqualTo(400);
      assertThat(json(line).path("attempts").size()).isZero();
    }
  }

  @Test
  void withoutModelListsAnyModelNameGoesThroughWithTheBodyUntouched() {
    a.always(Reply.openAiOk());
    router = RouterHarness.builder().keepPriorities().openai(openai("open", a, 1)).start();
    String made = "{ \"model\" : \"made-up/model:v9\" ,\"messages\":[], \"n\":1.0e0}";
    String none = "{\"messages\":[]}";

    HttpResponse<String> r = router.post(CHAT, made);
    HttpResponse<String> s = router.post(CHAT, none);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-model")).hasValue("made-up/model:v9");
    assertThat(s.statusCode()).isEqualTo(200);
    assertThat(a.received().get(0).body()).isEqualTo(utf8(made));
    assertThat(a.received().get(1).body()).isEqualTo(utf8(none));
  }
}
