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
    COMPLETIONS(Api.OPENAI, true),
    /** {@code GET /v1/models}: either API's, by the request's headers ({@link MockModels}). */
    MODELS(Api.OPENAI, false);

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
    String openAi = path.startsWith("/v1/") ? path.substring(3) : path;
    Kind post =
        switch (path) {
          case "/v1/messages" -> Kind.MESSAGES;
          case "/v1/messages/count_tokens" -> Kind.COUNT_TOKENS;
          default ->
              switch (openAi) {
                case "/chat/completions" -> Kind.CHAT;
                case "/responses" -> Kind.RESPONSES;
                case "/embeddings" -> Kind.EMBEDDINGS;
                case "/completions" -> Kind.COMPLETIONS;
                default -> null;
              };
        };
    if (post != null) {
      return method.equals("POST") ? new MockRoute(post, null) : null;
    }
    if (openAi.equals("/models")) {
      return method.equals("GET") ? new MockRoute(Kind.MODELS, null) : null;
    }
    Matcher m = RESPONSE.matcher(openAi);
    if (!m.matches()) {
      return null;
    }
    boolean items = m.group(2) != null;
    Kind kind =
        switch (method) {
          case "GET" -> items ? Kind.RESPONSE_INPUT_ITEMS : Kind.RESPONSE_GET;
          case "DELETE" -> items ? null : Kind.RESPONSE_DELETE;
          default -> null;
        };
    return kind == null ? null : new MockRoute(kind, m.group(1));
  }
}
