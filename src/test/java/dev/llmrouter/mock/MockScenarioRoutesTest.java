package dev.llmrouter.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each scenario on the routes beyond chat and messages, and the mock's answers to bad requests. */
class MockScenarioRoutesTest {

  /** One request per route that sends a prompt to a model, with its API. */
  private static final Map<String, String> PROMPT_ROUTES =
      Map.of(
          "/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"stream\":true}",
          "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"Hi\"}",
          "/v1/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Hi\"}");

  private static final String COUNT =
      "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @Test
  void scenario429RateLimitsEveryRouteInItsApisShape() {
    try (MockClient mock = MockClient.start("429")) {
      PROMPT_ROUTES.forEach(
          (path, body) -> {
            HttpResponse<String> r = mock.post(path, body);
            assertThat(r.statusCode()).as(path).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).as(path).isPresent();
            assertThat(openAiErrorType(r)).as(path).isEqualTo("rate_limit_exceeded");
          });
      HttpResponse<String> read = mock.get("/v1/responses/resp_1");
      assertThat(read.statusCode()).isEqualTo(429);
      assertThat(openAiErrorType(read)).isEqualTo("rate_limit_exceeded");

      HttpResponse<String> count = mock.post("/v1/messages/count_tokens", COUNT);
      assertThat(count.statusCode()).isEqualTo(429);
      assertThat(MockClient.json(count.body()).path("error").path("type").asString())
          .isEqualTo("rate_limit_error");
    }
  }

  @Test
  void modelsAreListedInTheShapeOfTheApiThatAsks() {
    try (MockClient mock = MockClient.start("ok")) {
      HttpResponse<String> openAi = mock.get("/v1/models");
      HttpResponse<String> anthropic =
          mock.send(
              HttpRequest.newBuilder(mock.uri("/v1/models"))
                  .header("anthropic-version", "2023-06-01")
                  .GET());

      assertThat(openAi.statusCode()).isEqualTo(200);
      JsonNode list = MockClient.json(openAi.body());
      assertThat(list.path("object").asString()).isEqualTo("list");
      assertThat(list.at("/data/0/object").asString()).isEqualTo("model");
      assertThat(list.at("/data/0/id").asString()).isEqualTo("gpt-4o-mini");
      assertThat(anthropic.statusCode()).isEqualTo(200);
      JsonNode models = MockClient.json(anthropic.body());
      assertThat(models.at("/data/0/type").asString()).isEqualTo("model");
      assertThat(models.at("/data/0/id").asString()).isEqualTo("claude-sonnet-4-5");
      assertThat(models.path("has_more").asBoolean(true)).isFalse();
      assertThat(mock.get("/models").statusCode()).isEqualTo(200);
      assertThat(mock.post("/v1/models", "{}").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void scenario503FailsAStreamBeforeItStarts() {
    try (MockClient mock = MockClient.start("503")) {
      HttpResponse<String> r = mock.post("/v1/responses", PROMPT_ROUTES.get("/v1/responses"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(openAiErrorType(r)).isEqualTo("server_error");
      HttpResponse<String> count = mock.post("/v1/messages/count_tokens", COUNT);
      assertThat(MockClient.json(count.body()).path("error").path("type").asString())
          .isEqualTo("overloaded_error");
    }
  }

  @Test
  void scenarioContextFailsThePromptRoutesButStillCountsTokens() {
    try (MockClient mock = MockClient.start("context")) {
      PROMPT_ROUTES.forEach(
          (path, body) -> {
            HttpResponse<String> r = mock.post(path, body);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(MockClient.json(r.body()).path("error").path("message").asString())
                .as(path)
                .contains("maximum context length");
          });
      // Counting is how a client finds out that the prompt is too long.
      assertThat(mock.postOk("/v1/messages/count_tokens", COUNT).path("input_tokens").asInt())
          .isPositive();
      assertThat(mock.get("/v1/responses/resp_unknown").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void scenarioSlowAnswersTheNewRoutesAfterItsDelay() {
    try (MockClient mock = MockClient.start("slow-50")) {
      long start = System.nanoTime();
      JsonNode r = mock.postOk("/v1/embeddings", PROMPT_ROUTES.get("/v1/embeddings"));
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
      assertThat(r.path("data")).hasSize(1);
    }
  }

  @Test
  void unknownRoutesAndWrongMethodsAre404AndBrokenJsonIs400() {
    try (MockClient mock = MockClient.start("ok")) {
      assertThat(mock.get("/v1/responses").statusCode()).isEqualTo(404);
      assertThat(mock.get("/v1/embeddings").statusCode()).isEqualTo(404);
      assertThat(mock.post("/v1/responses/resp_1", "{}").statusCode()).isEqualTo(404);
      assertThat(mock.delete("/v1/responses/resp_1/input_items").statusCode()).isEqualTo(404);
      assertThat(mock.post("/messages/count_tokens", COUNT).statusCode()).isEqualTo(404);
      HttpResponse<String> put =
          mock.send(
              HttpRequest.newBuilder(mock.uri("/v1/responses"))
                  .PUT(HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(put.statusCode()).isEqualTo(404);

      HttpResponse<String> broken = mock.post("/v1/responses", "{\"model\":");
      assertThat(broken.statusCode()).isEqualTo(400);
      assertThat(openAiErrorType(broken)).isEqualTo("invalid_request_error");
      HttpResponse<String> brokenCount = mock.post("/v1/messages/count_tokens", "not json");
      assertThat(brokenCount.statusCode()).isEqualTo(400);
      assertThat(MockClient.json(brokenCount.body()).path("type").asString()).isEqualTo("error");
    }
  }

  private static String openAiErrorType(HttpResponse<String> r) {
    return MockClient.json(r.body()).path("error").path("type").asString();
  }
}
