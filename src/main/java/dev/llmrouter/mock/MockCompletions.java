package dev.llmrouter.mock;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.SseFraming;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's legacy {@code POST /completions} as the mock answers it (PROTOCOLS.md 7.2): one {@code
 * text_completion} choice per prompt, each the mock's text (after the prompt with {@code
 * "echo":true}); streamed as {@code data:} chunks of text fragments, a last chunk per choice with
 * its {@code finish_reason}, a {@code "choices":[]} usage chunk when {@code
 * stream_options.include_usage} asks for one, then {@code data: [DONE]}.
 */
final class MockCompletions {

  private static final AtomicLong IDS = new AtomicLong();

  private MockCompletions() {}

  static MockReply create(JsonNode request) {
    List<String> prompts = prompts(request.path("prompt"));
    if (prompts == null) {
      return new MockReply.Complete(
          400,
          MockBodies.openAiError(
              "'prompt' must be a string, an array of strings or an array of tokens.",
              "invalid_request_error",
              "prompt",
              null));
    }
    Completion c =
        new Completion(
            "cmpl-mock" + IDS.incrementAndGet(),
            System.currentTimeMillis() / 1000,
            request.path("model").asString("mock-model"),
            request.path("echo").asBoolean(false),
            prompts,
            MockTokens.estimate(request.path("prompt")));
    if (request.path("stream").asBoolean(false)) {
      boolean usage = request.path("stream_options").path("include_usage").asBoolean(false);
      return new MockReply.Stream(c.events(usage));
    }
    ObjectNode body = c.head(false);
    for (int i = 0; i < prompts.size(); i++) {
      String text = (c.echo ? prompts.get(i) : "") + MockBodies.TEXT;
      choice(body, text, i, "stop");
    }
    c.usage(body);
    return MockReply.ok(Json.MAPPER.writeValueAsBytes(body));
  }

  /**
   * The text of each prompt: a string, strings, or token arrays (whose text the mock cannot know:
   * empty); null for any other shape. An absent prompt is one empty prompt, as the API's default is
   * one start-of-text token.
   */
  private static List<String> prompts(JsonNode prompt) {
    if (prompt.isMissingNode() || prompt.isNull()) {
      return List.of("");
    }
    if (prompt.isString()) {
      return List.of(prompt.asString());
    }
    if (!prompt.isArray() || prompt.isEmpty()) {
      return null;
    }
    if (prompt.get(0).isIntegralNumber()) {
      return List.of("");
    }
    List<String> prompts = new ArrayList<>();
    for (JsonNode p : prompt) {
      if (p.isString()) {
        prompts.add(p.asString());
      } else if (p.isArray()) {
        prompts.add("");
      } else {
        return null;
      }
    }
    return prompts;
  }

  private static void choice(ObjectNode body, String text, int index, String finish) {
    ObjectNode choice = body.withArrayProperty("choices").addObject();
    choice.put("text", text);
    choice.put("index", index);
    choice.putNull("logprobs");
    choice.put("finish_reason", finish);
  }

  private record Completion(
      String id, long created, String model, boolean echo, List<String> prompts, int promptTokens) {

    /** The fields every body and chunk starts with; {@code "usage":null} on a chunk that asks. */
    ObjectNode head(boolean nullUsage) {
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("id", id);
      body.put("object", "text_completion");
      body.put("created", created);
      body.put("model", model);
      body.putArray("choices");
      if (nullUsage) {
        body.putNull("usage");
      }
      return body;
    }

    void usage(ObjectNode body) {
      MockBodies.openAiUsage(body, promptTokens, MockBodies.PIECES.size() * prompts.size());
    }

    List<byte[]> events(boolean includeUsage) {
      List<byte[]> events = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        List<String> pieces = new ArrayList<>(MockBodies.PIECES);
        if (echo) {
          pieces.addFirst(prompts.get(i));
        }
        for (String piece : pieces) {
          ObjectNode chunk = head(includeUsage);
          choice(chunk, piece, i, null);
          events.add(data(chunk));
        }
        ObjectNode last = head(includeUsage);
        choice(last, "", i, "stop");
        events.add(data(last));
      }
      if (includeUsage) {
        ObjectNode chunk = head(false);
        usage(chunk);
        events.add(data(chunk));
      }
      events.add(SseFraming.event(null, "[DONE]"));
      return events;
    }

    private static byte[] data(ObjectNode chunk) {
      return SseFraming.event(null, Json.MAPPER.writeValueAsString(chunk));
    }
  }
}
