package dev.llmrouter.server;

import dev.llmrouter.upstream.Api;
import java.util.Map;

/** The route table: every path the router serves, matched exactly on the raw path. */
enum Route {
  OPENAI_CHAT("POST", Api.OPENAI),
  ANTHROPIC_MESSAGES("POST", Api.ANTHROPIC),
  ROOT("GET", null),
  HEALTH("GET", null),
  OPENAPI("GET", null),
  DOCS("GET", null),
  METRICS("GET", null);

  /** The official SDKs' paths sit beside the short ones (PROTOCOLS.md section 0). */
  static final Map<String, Route> BY_PATH =
      Map.of(
          "/openai/chat/completions", OPENAI_CHAT,
          "/openai/v1/chat/completions", OPENAI_CHAT,
          "/anthropic/chat/completions", ANTHROPIC_MESSAGES,
          "/anthropic/v1/messages", ANTHROPIC_MESSAGES,
          "/", ROOT,
          "/health", HEALTH,
          "/openapi.json", OPENAPI,
          "/docs", DOCS,
          "/metrics", METRICS);

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
