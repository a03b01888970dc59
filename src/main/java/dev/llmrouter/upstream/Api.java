package dev.llmrouter.upstream;

import dev.llmrouter.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two wire dialects the router speaks: where requests go upstream, how the provider key is
 * presented, and what an error body looks like, so that every error a client sees is in the shape
 * its own SDK parses.
 */
public enum Api {
  OPENAI("openai") {
    @Override
    public URI upstreamUri(URI baseUrl, String rawQuery) {
      // OpenAI bases carry the version: https://api.openai.com/v1 + /chat/completions
      return join(baseUrl, "/chat/completions", rawQuery);
    }

    @Override
    void authorize(HttpRequest.Builder request, String apiKey) {
      request.header("Authorization", "Bearer " + apiKey);
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
      ObjectNode root = Json.MAPPER.createObjectNode();
      ObjectNode error = root.putObject("error");
      error.put("message", message);
      error.put("type", kind.openAiType);
      error.putNull("param");
      error.put("code", kind.openAiCode);
      return Json.MAPPER.writeValueAsBytes(root);
    }
  },

  ANTHROPIC("anthropic") {
    @Override
    public URI upstreamUri(URI baseUrl, String rawQuery) {
      // Anthropic bases do not carry the version: https://api.anthropic.com + /v1/messages
      return join(baseUrl, "/v1/messages", rawQuery);
    }

    @Override
    void authorize(HttpRequest.Builder request, String apiKey) {
      request.header("x-api-key", apiKey);
    }

    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
      ObjectNode root = Json.MAPPER.createObjectNode();
      root.put("type", "error");
      ObjectNode error = root.putObject("error");
      error.put("type", kind.anthropicType);
      error.put("message", message);
      return Json.MAPPER.writeValueAsBytes(root);
    }
  };

  /** Sent when the client names none: the one version every Messages deployment accepts. */
  static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  private final String id;

  Api(String id) {
    this.id = id;
  }

  /** The endpoint id used in paths, logs and config: {@code openai} or {@code anthropic}. */
  public String id() {
    return id;
  }

  public abstract URI upstreamUri(URI baseUrl, String rawQuery);

  abstract void authorize(HttpRequest.Builder request, String apiKey);

  /** A complete error body in this dialect's native shape. */
  public abstract byte[] errorBody(ErrorKind kind, String message);

  private static URI join(URI baseUrl, String path, String rawQuery) {
    String base = baseUrl.toString();
    String uri = base + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    return URI.create(uri);
  }
}
