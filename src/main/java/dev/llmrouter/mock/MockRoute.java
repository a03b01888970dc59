package dev.llmrouter.mock;

import dev.llmrouter.wire.Api;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route the mock answers, parsed from the method and path. OpenAI routes answer with and
 * without the {@code /v1} prefix (base URLs with and without the version, as clients configure
 * them); Anthropic routes only with it, since Anthropic bases carry no version (PROTOCOLS.md 8.1).
 *
 * @param id the response ID of the {@code /responses/{id}} routes, null for the others
 */
record MockRoute(Kind kind, String id) {

  enum Kind {
    CHAT(Api.OPENAI, true),
    MESSAGES(Api.ANTHROPIC, true),
    COUNT_TOKENS(Api.ANTHROPIC, false),
    RESPONSES(Api.OPENAI, true),
    RESPONSE_GET(Api.OPENAI, false),
    RESPONSE_DELETE(Api.OPENAI, false),
    RESPONSE_INPUT_ITEMS(Api.OPENAI, false),
    EMBEDDINGS(Api.OPENAI, true),
    COMPLETIONS(Api.OPENAI, true);

    /** The shape of this route's error bodies. */
    final Api api;

    /**
     * Whether the route sends a prompt to a model, so that a too-long prompt can fail it. Counting
     * tokens is how a client finds out that a prompt is too long, so it never fails that way.
     */
    final boolean takesPrompt;

    Kind(Api api, boolean takesPrompt) {
      this.api = api;
      this.takesPrompt = takesPrompt;
    }
  }

  /** {@code /responses/{id}} and {@code /responses/{id}/input_items}; IDs are word characters. */
  private static final Pattern RESPONSE = Pattern.compile("/responses/([\\w-]+)(/input_items)?");

  /** The route of a request, or null when the mock has none (a 404). */
  static MockRoute of(String method, String path) {
    switch (path) {
      case "/v1/messages" -> {
        return post(method, Kind.MESSAGES);
      }
      case "/v1/messages/count_tokens" -> {
        return post(method, Kind.COUNT_TOKENS);
      }
      default -> {
        // falls through to the OpenAI routes below
      }
    }
    String openAi = path.startsWith("/v1/") ? path.substring(3) : path;
    switch (openAi) {
      case "/chat/completions" -> {
        return post(method, Kind.CHAT);
      }
      case "/responses" -> {
        return post(method, Kind.RESPONSES);
      }
      case "/embeddings" -> {
        return post(method, Kind.EMBEDDINGS);
      }
      case "/completions" -> {
        return post(method, Kind.COMPLETIONS);
      }
      default -> {
        // a response's own routes, below
      }
    }
    Matcher m = RESPONSE.matcher(openAi);
    if (!m.matches()) {
      return null;
    }
    Kind kind =
        switch (method) {
          case "GET" -> m.group(2) == null ? Kind.RESPONSE_GET : Kind.RESPONSE_INPUT_ITEMS;
          case "DELETE" -> m.group(2) == null ? Kind.RESPONSE_DELETE : null;
          default -> null;
        };
    return kind == null ? null : new MockRoute(kind, m.group(1));
  }

  private static MockRoute post(String method, Kind kind) {
    return method.equals("POST") ? new MockRoute(kind, null) : null;
  }
}
