package dev.llmrouter.server;

import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The route table: every path the router serves, matched exactly on the raw path, except the paths
 * that end with an id: a model's ({@code .../models/<id>}) and a stored response's ({@code
 * .../responses/<id>[/cancel|/input_items]}).
 */
enum Route {
  OPENAI_CHAT(Operation.CHAT, "chat", "POST"),
  ANTHROPIC_MESSAGES(Operation.MESSAGES, "messages", "POST"),
  OPENAI_RESPONSES(Operation.RESPONSES, "responses", "POST"),
  OPENAI_EMBEDDINGS(Operation.EMBEDDINGS, "embeddings", "POST"),
  OPENAI_COMPLETIONS(Operation.COMPLETIONS, "completions", "POST"),
  ANTHROPIC_COUNT_TOKENS(Operation.COUNT_TOKENS, "count_tokens", "POST"),
  /** One stored response: read or delete it. */
  OPENAI_RESPONSE(Api.OPENAI, "response", "GET", "DELETE"),
  OPENAI_RESPONSE_CANCEL(Api.OPENAI, "response", "POST"),
  OPENAI_RESPONSE_INPUT_ITEMS(Api.OPENAI, "response", "GET"),
  /** The model list, or one model at {@code .../models/<id>}. */
  OPENAI_MODELS(Api.OPENAI, "models", "GET"),
  ANTHROPIC_MODELS(Api.ANTHROPIC, "models", "GET"),
  ROOT("GET"),
  /** Liveness, and what every provider can do now. */
  HEALTH("GET"),
  /** Readiness: whether the router takes traffic (starting and draining: no). */
  READY("GET"),
  OPENAPI("GET"),
  DOCS("GET"),
  METRICS("GET");

  /** The {@code route} label of a request to a path the router does not serve. */
  static final String UNKNOWN_LABEL = "unknown";

  /** The official SDKs' paths sit beside the short ones (PROTOCOLS.md section 0). */
  static final Map<String, Route> BY_PATH =
      Map.ofEntries(
          Map.entry("/openai/chat/completions", OPENAI_CHAT),
          Map.entry("/openai/v1/chat/completions", OPENAI_CHAT),
          Map.entry("/openai/responses", OPENAI_RESPONSES),
          Map.entry("/openai/v1/responses", OPENAI_RESPONSES),
          Map.entry("/openai/embeddings", OPENAI_EMBEDDINGS),
          Map.entry("/openai/v1/embeddings", OPENAI_EMBEDDINGS),
          Map.entry("/openai/completions", OPENAI_COMPLETIONS),
          Map.entry("/openai/v1/completions", OPENAI_COMPLETIONS),
          Map.entry("/anthropic/chat/completions", ANTHROPIC_MESSAGES),
          Map.entry("/anthropic/v1/messages", ANTHROPIC_MESSAGES),
          Map.entry("/anthropic/v1/messages/count_tokens", ANTHROPIC_COUNT_TOKENS),
          Map.entry("/openai/models", OPENAI_MODELS),
          Map.entry("/openai/v1/models", OPENAI_MODELS),
          Map.entry("/anthropic/v1/models", ANTHROPIC_MODELS),
          Map.entry("/", ROOT),
          Map.entry("/health", HEALTH),
          Map.entry("/health/ready", READY),
          Map.entry("/openapi.json", OPENAPI),
          Map.entry("/docs", DOCS),
          Map.entry("/metrics", METRICS));

  /** Where one model's own path starts: the id follows, percent-encoded (it may hold a "/"). */
  private static final Map<String, Route> MODEL_PREFIXES =
      Map.of(
          "/openai/models/", OPENAI_MODELS,
          "/openai/v1/models/", OPENAI_MODELS,
          "/anthropic/v1/models/", ANTHROPIC_MODELS);

  /** Where one stored response's path starts: its id follows (ids have no "/"). */
  private static final List<String> RESPONSE_PREFIXES =
      List.of("/openai/v1/responses/", "/openai/responses/");

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
    if (route == null && path.contains("/responses/")) {
      return responseRoute(path);
    }
    return route;
  }

  private static Route responseRoute(String path) {
    for (String prefix : RESPONSE_PREFIXES) {
      if (!path.startsWith(prefix)) {
        continue;
      }
      String rest = path.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (responseId(slash < 0 ? rest : rest.substring(0, slash)) == null) {
        return null;
      }
      if (slash < 0) {
        return OPENAI_RESPONSE;
      }
      return switch (rest.substring(slash)) {
        case "/cancel" -> OPENAI_RESPONSE_CANCEL;
        case "/input_items" -> OPENAI_RESPONSE_INPUT_ITEMS;
        default -> null;
      };
    }
    return null;
  }

  /**
   * Every route of an API as "METHOD path", the SDKs' /v1 paths first: for the root page and for
   * the message of a 404 (one list, so the two never disagree).
   */
  static List<String> documented(Api api) {
    return api == Api.OPENAI
        ? List.of(
            "POST /openai/v1/chat/completions",
            "POST /openai/v1/responses",
            "GET /openai/v1/responses/{id}",
            "DELETE /openai/v1/responses/{id}",
            "POST /openai/v1/responses/{id}/cancel",
            "GET /openai/v1/responses/{id}/input_items",
            "POST /openai/v1/embeddings",
            "POST /openai/v1/completions",
            "GET /openai/v1/models",
            "GET /openai/v1/models/{id}",
            "POST /openai/chat/completions",
            "POST /openai/responses",
            "POST /openai/embeddings",
            "POST /openai/completions",
            "GET /openai/responses/{id}",
            "DELETE /openai/responses/{id}",
            "POST /openai/responses/{id}/cancel",
            "GET /openai/responses/{id}/input_items",
            "GET /openai/models",
            "GET /openai/models/{id}")
        : List.of(
            "POST /anthropic/v1/messages",
            "POST /anthropic/v1/messages/count_tokens",
            "GET /anthropic/v1/models",
            "GET /anthropic/v1/models/{id}",
            "POST /anthropic/chat/completions");
  }

  /** The model id of a {@code .../models/<id>} path, still percent-encoded; null for a list. */
  static String modelId(String path) {
    int at = path.indexOf("/models/");
    return at < 0 ? null : path.substring(at + "/models/".length());
  }

  /**
   * A stored response's path: its id, decoded, and what follows it ({@code /cancel}, {@code
   * /input_items} or nothing).
   */
  record ResponsePath(String id, String rest) {
    static ResponsePath of(String path) {
      String rest = path.substring(path.indexOf("/responses/") + "/responses/".length());
      int slash = rest.indexOf('/');
      return slash < 0
          ? new ResponsePath(responseId(rest), "")
          : new ResponsePath(responseId(rest.substring(0, slash)), rest.substring(slash));
    }
  }

  /**
   * Whether an id sent as one path segment would be {@code .} or {@code ..}: {@link #pathSegment}
   * leaves dots as they are, and a server normalises such a segment into another path.
   */
  static boolean isDotSegment(String id) {
    return id.equals(".") || id.equals("..");
  }

  /**
   * A response id from its percent-encoded path segment, or null when it cannot be one: a dot
   * segment or an encoded "/" would let the path reach another route of the provider (files,
   * batches) once a server normalises it, with the provider's key. The SDK's own further routes,
   * {@code /responses/input_tokens} and {@code /responses/compact}, are not ids either.
   */
  private static String responseId(String raw) {
    String id = HeaderPolicy.percentDecoded(raw);
    if (id == null
        || id.isEmpty()
        || isDotSegment(id)
        || id.equals("input_tokens")
        || id.equals("compact")) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c == '/' || c == '\\' || c == 0x7f) {
        return null;
      }
    }
    return id;
  }

  /**
   * Whether a raw query asks for a stream: a {@code stream=true} parameter (what the SDKs send).
   */
  static boolean asksForStream(String rawQuery) {
    return "true".equalsIgnoreCase(queryParam(rawQuery, "stream"));
  }

  /** The first value of a raw query's parameter, percent-decoded; null when absent or malformed. */
  static String queryParam(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    int from = 0;
    while (from <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', from);
      if (end < 0) {
        end = rawQuery.length();
      }
      int eq = rawQuery.indexOf('=', from);
      if (eq - from == name.length()
          && eq < end
          && rawQuery.regionMatches(from, name, 0, name.length())) {
        return HeaderPolicy.percentDecoded(rawQuery.substring(eq + 1, end));
      }
      from = end + 1;
    }
    return null;
  }

  /** The id as one path segment: every byte but the unreserved ones percent-encoded. */
  static String pathSegment(String id) {
    StringBuilder out = new StringBuilder(id.length() + 8);
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** The methods allowed; GET pages answer HEAD too, as HTTP expects. */
  @SuppressWarnings("ImmutableEnumChecker") // List.of: unmodifiable
  final List<String> methods;

  /** The API of a proxy route; null for the router's own pages. */
  final Api api;

  /** What a proxied POST asks its providers for; null for the other routes. */
  final Operation operation;

  /** The {@code route} label in metrics: a fixed set of words. */
  final String label;

  Route(Operation operation, String label, String... methods) {
    this(operation.api(), operation, label, methods);
  }

  Route(Api api, String label, String... methods) {
    this(api, null, label, methods);
  }

  /** One of the router's own pages. */
  Route(String method) {
    this((Api) null, (Operation) null, "page", method);
  }

  Route(Api api, Operation operation, String label, String... methods) {
    this.api = api;
    this.operation = operation;
    this.label = label;
    this.methods = List.of(methods);
  }

  /**
   * The probes of load balancers and supervisors: open to any Host and Origin, without a gateway
   * key, outside the in-flight cap, and answered during a drain.
   */
  boolean isProbe() {
    return this == HEALTH || this == READY;
  }

  /**
   * Served outside the in-flight cap, and not counted in it: the probes, and {@code /metrics},
   * whose scrape matters most when the router is full and whose gauge would otherwise count itself.
   */
  boolean isOutsideTheCap() {
    return isProbe() || this == METRICS;
  }

  boolean allows(String requestMethod) {
    return methods.contains(requestMethod)
        || (requestMethod.equals("HEAD") && methods.contains("GET"));
  }

  String allowHeader() {
    return String.join(", ", methods).replace("GET", "GET, HEAD");
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
