package dev.llmrouter.translation;

import dev.llmrouter.config.Family;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.SseClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/** An Anthropic-API and an OpenAI-API fake provider, and a router to put in front of them. */
abstract class CrossFamilyFixture {

  static final String CHAT = "/openai/v1/chat/completions";
  static final String MESSAGES = "/anthropic/v1/messages";

  final FakeUpstream first = FakeUpstream.start();
  final FakeUpstream second = FakeUpstream.start();
  RouterHarness router;

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
    first.close();
    second.close();
  }

  /** A provider of {@code family} on the fake, with its base URL as that API wants it. */
  static ProviderConfig speaking(Family family, String name, FakeUpstream fake) {
    String base = family == Family.OPENAI ? fake.baseUrl() + "/v1" : fake.baseUrl();
    return RouterHarness.provider(name, base).withApi(family);
  }

  /** The events of a streamed POST to the router, to the end (at most 10 s). */
  List<String> streamed(String path, String body) throws Exception {
    try (SseClient client = SseClient.post(router.uri(path), body)) {
      return client.rest(Duration.ofSeconds(10));
    }
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  static final String CLAUDE =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  static final String CLAUDE_STREAM =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
}
