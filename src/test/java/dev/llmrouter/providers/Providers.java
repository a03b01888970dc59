package dev.llmrouter.providers;

import static dev.llmrouter.testkit.RouterHarness.provider;

import dev.llmrouter.config.ModelMap;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RouterHarness;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Provider entries for these tests, each at an explicit priority: build the harness with {@code
 * keepPriorities()} so that the priorities written here are the ones the router sees.
 */
final class Providers {

  private Providers() {}

  /** An OpenAI provider on the fake's {@code /v1}, serving every model, at {@code priority}. */
  static ProviderConfig openai(String name, FakeUpstream fake, int priority) {
    return provider(name, fake.baseUrl() + "/v1").withPriority(priority);
  }

  /** The same, serving only {@code models}. */
  static ProviderConfig openai(String name, FakeUpstream fake, int priority, ModelMap models) {
    return openai(name, fake, priority).withModels(models);
  }

  /** An Anthropic provider on the fake's root, serving every model, at {@code priority}. */
  static ProviderConfig anthropic(String name, FakeUpstream fake, int priority) {
    return provider(name, fake.baseUrl()).withPriority(priority);
  }

  /** Serves one name, sent upstream as {@code id}. */
  static ModelMap alias(String name, String id) {
    return ModelMap.of(List.of(new ModelMap.Entry(name, id)));
  }

  /** A copy with another key: what an operator fixing a rejected key writes. */
  static ProviderConfig withKey(ProviderConfig p, String apiKey) {
    return new ProviderConfig(
        p.name(),
        apiKey,
        p.priority(),
        p.baseUrl(),
        p.timeout(),
        p.maxRetries(),
        p.streamIdleTimeout(),
        p.weight(),
        p.models(),
        p.auth(),
        p.headers(),
        p.api(),
        p.maxTokens());
  }

  /** A copy at another base URL. */
  static ProviderConfig withBaseUrl(ProviderConfig p, String baseUrl) {
    return new ProviderConfig(
        p.name(),
        p.apiKey(),
        p.priority(),
        URI.create(baseUrl),
        p.timeout(),
        p.maxRetries(),
        p.streamIdleTimeout(),
        p.weight(),
        p.models(),
        p.auth(),
        p.headers(),
        p.api(),
        p.maxTokens());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  static JsonNode json(byte[] bytes) {
    return Json.MAPPER.readTree(bytes);
  }

  /** The /health entry of one provider of {@code endpoint}. */
  static JsonNode healthOf(RouterHarness router, String endpoint, String name) {
    JsonNode providers =
        json(router.get("/health").body()).path("endpoints").path(endpoint).path("providers");
    for (JsonNode p : providers) {
      if (p.path("name").asString().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no provider " + name + " under " + endpoint + " in /health");
  }

  /** The one record the request log holds (closes the router). */
  static JsonNode onlyRecord(RouterHarness router) {
    List<String> lines = router.closeAndReadLog();
    if (lines.size() != 1) {
      throw new AssertionError("expected one log record, got " + lines.size() + ": " + lines);
    }
    return json(lines.get(0));
  }
}
