package dev.llmrouter.mock;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Api;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/models} as the mock answers it, in the shape of the API that asks: Anthropic's
 * (PROTOCOLS.md 2) when the request carries {@code anthropic-version}, which Anthropic requires of
 * every request, else OpenAI's. A few real model names of each, so that a router in front of the
 * mock (the demo) lists models as it would in front of a provider.
 */
final class MockModels {

  static final List<String> OPENAI = List.of("gpt-4o-mini", "gpt-4o", "text-embedding-3-small");

  static final List<String> ANTHROPIC = List.of("claude-sonnet-4-5", "claude-haiku-4-5");

  /** When the models were made, as the APIs date them: a fixed day (2025-09-29 UTC). */
  private static final long CREATED = 1_759_104_000L;

  private MockModels() {}

  static MockReply list(Api api) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (api == Api.ANTHROPIC) {
      ArrayNode data = root.putArray("data");
      for (String id : ANTHROPIC) {
        data.addObject()
            .put("type", "model")
            .put("id", id)
            .put("display_name", id)
            .put("created_at", "2025-09-29T00:00:00Z");
      }
      root.put("has_more", false);
      root.put("first_id", ANTHROPIC.getFirst());
      root.put("last_id", ANTHROPIC.getLast());
    } else {
      root.put("object", "list");
      ArrayNode data = root.putArray("data");
      for (String id : OPENAI) {
        data.addObject()
            .put("id", id)
            .put("object", "model")
            .put("created", CREATED)
            .put("owned_by", "mock");
      }
    }
    return new MockReply.Complete(200, Json.MAPPER.writeValueAsBytes(root));
  }
}
