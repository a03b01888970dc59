package dev.llmrouter.server;

import dev.llmrouter.wire.Api;
import java.util.Map;

/**
 * The route table: every path the router serves, matched exactly on the raw path, except a model's
 * own path, {@code .../models/<id>}.
 */
enum Route {
  OPENAI_CHAT("POST", Api.OPENAI),
  ANTHROPIC_MESSAGES("POST", Api.ANTHROPIC),
  /** The model list, or one model at {@code .../models/<id>}. */
  OPENAI_MODELS("GET", Api.OPENAI),
  ANTHROPIC_MODELS("GET", Api.ANTHROPIC),
  ROOT("GET", null),
  HEALTH("GET", null),
  OPENAPI("GET", null),
  DOCS("GET", null),
  METRICS("GET", null);

  /** The official SDKs' paths sit beside the short ones (PROTOCOLS.md section 0). */
  static final Map<String, Route> BY_PATH =
      Map.ofEntries(
          Map.entry("/openai/chat/completions", OPENAI_CHAT),
          Map.entry("/openai/v1/chat/completions", OPENAI_CHAT),
          Map.entry("/anthropic/chat/completions", ANTHROPIC_MESSAGES),
          Map.entry("/anthropic/v1/messages", ANTHROPIC_MESSAGES),
          Map.entry("/openai/models", OPENAI_MODELS),
          Map.entry("/openai/v1/models", OPENAI_MODELS),
          Map.entry("/anthropic/v1/models", ANTHROPIC_MODELS),
          Map.entry("/", ROOT),
          Map.entry("/health", HEALTH),
          Map.entry("/openapi.json", OPENAPI),
          Map.entry("/docs", DOCS),
          Map.entry("/metrics", METRICS));

  /** Where one model's own path starts: the id follows, percent-encoded (it may hold a "/"). */
  private static final Map<String, Route> MODEL_PREFIXES =
      Map.of(
          "/openai/models/", OPENAI_MODELS,
          "/openai/v1/models/", OPENAI_MODELS,
          "/anthropic/v1/models/", ANTHROPIC_MODELS);

  /** The route of a raw path, or null. */
  static Route of(String path) {
    Route route = BY_PATH.get(path);
    if (route == null && path.contains("/models/")) {
      for (Map.Entry<String, Route> e : MODEL_PREFIXES.entrySet()) {
        if (path.startsWith(e.getKey()) && path.length() > e.getKey().length()) {
          return e.getValue();
        }
      }
    }
    return route;
  }

  /** The model id of a {@code .../models/<id>} path, still percent-encoded; null for a list. */
  static String modelId(String path) {
    int at = path.indexOf("/models/");
    return at < 0 ? null : path.substring(at + "/models/".length());
  }

  final String method;

  /** The API of a proxy route; null for the router's own pages. */
  final Api api;

  Route(String method, Api api) {
    this.method = method;
    this.api = api;
  }

  /** GET pages answer HEAD too, as HTTP expects. */
  boolean allows(String requestMethod) {
    return method.equals(requestMethod) || (method.equals("GET") && requestMethod.equals("HEAD"));
  }

  String allowHeader() {
    return method.equals("GET") ? "GET, HEAD" : method;
  }

  /** Which dialect an error on an arbitrary path should speak: by its prefix. */
  static Api apiForPath(String path) {
    if (path.startsWith("/openai/") || path.equals("/openai")) {
      return Api.OPENAI;
    }
    if (path.startsWith("/anthropic/") || path.equals("/anthropic")) {
      return Api.ANTHROPIC;
    }
    return null;
  }
}
