package dev.llmrouter.mock;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Api;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The token counts the mock reports, and Anthropic's {@code count_tokens} (PROTOCOLS.md 7.3). A
 * count is an estimate, as the real endpoint's is: about four characters of text per token (the
 * rule of thumb both providers give), one per token ID in a token array, and never zero.
 */
final class MockTokens {

  private MockTokens() {}

  /** The estimated tokens of every string and token ID in the nodes (keys do not count). */
  static int estimate(JsonNode... nodes) {
    long[] charsAndIds = new long[2];
    for (JsonNode node : nodes) {
      walk(node, charsAndIds);
    }
    long tokens = charsAndIds[1] + (charsAndIds[0] + 3) / 4;
    return Math.clamp(tokens, 1, Integer.MAX_VALUE);
  }

  private static void walk(JsonNode node, long[] charsAndIds) {
    if (node.isString()) {
      charsAndIds[0] += node.asString().length();
    } else if (node.isIntegralNumber()) {
      charsAndIds[1]++;
    } else if (node.isContainer()) {
      for (JsonNode child : node) {
        walk(child, charsAndIds);
      }
    }
  }

  /**
   * {@code POST /v1/messages/count_tokens}: {@code {"input_tokens":N}} over the system prompt, the
   * messages and the tools; 400 in Anthropic's shape without {@code model} or {@code messages}, the
   * two fields the endpoint requires.
   */
  static MockReply countTokens(JsonNode request) {
    for (String required : new String[] {"model", "messages"}) {
      if (request.path(required).isMissingNode() || request.path(required).isNull()) {
        return new MockReply.Complete(
            400, MockBodies.error(Api.ANTHROPIC, 400, required + ": Field required"));
      }
    }
    int tokens = estimate(request.path("system"), request.path("messages"), request.path("tools"));
    ObjectNode body = Json.MAPPER.createObjectNode().put("input_tokens", tokens);
    return MockReply.ok(Json.MAPPER.writeValueAsBytes(body));
  }
}
