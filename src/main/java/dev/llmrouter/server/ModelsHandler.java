package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.routing.AttemptRecord;
import dev.llmrouter.routing.FallbackExecutor;
import dev.llmrouter.routing.RoutingResult;
import dev.llmrouter.routing.Target;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.upstream.UpstreamClient;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.ErrorKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET .../models} and {@code .../models/<id>} in each API's own format: the names the
 * endpoint's providers declare, plus, when some provider serves any model, the list the first of
 * those that answers gives (asked like any request: priority order, fallback, timeouts).
 */
final class ModelsHandler {

  private final Call.Factory calls;
  private final FallbackExecutor executor;
  private final UpstreamClient upstream;
  private final Redactor redactor;

  /** What a declared name reports as its creation time: when this router started. */
  private final long startedEpochSeconds = Instant.now().getEpochSecond();

  ModelsHandler(
      Call.Factory calls, FallbackExecutor executor, UpstreamClient upstream, Redactor redactor) {
    this.calls = calls;
    this.executor = executor;
    this.upstream = upstream;
    this.redactor = redactor;
  }

  /** One model of a list: its id and the fields of the API's model object. */
  private record Model(String id, long created, String owner, String displayName) {}

  void handle(HttpExchange exchange, Api api, String clientKey) throws IOException {
    Call call = calls.start(api, "models", exchange, clientKey);
    exchange.getResponseHeaders().set("x-router-request-id", call.id);
    // Every way it ends leaves its record, which also gives back the memory the fetched lists held.
    call.run(() -> handle(exchange, api, call));
  }

  /**
   * What the providers' lists gave so far: the models by id (declared names first), every attempt,
   * the provider whose list answered, and a walk that could not ask (null when none failed so).
   */
  private static final class Gathered {
    final Map<String, Model> models = new LinkedHashMap<>();
    final List<AttemptRecord> attempts = new ArrayList<>();
    String answered;
    RoutingResult.Exhausted failed;
  }

  private void handle(HttpExchange exchange, Api api, Call call) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String rawId = Route.modelId(path);
    String id = rawId == null ? null : HeaderPolicy.percentDecoded(rawId);
    String refused =
        rawId == null && api == Api.ANTHROPIC
            ? AnthropicPage.refusal(exchange.getRequestURI().getRawQuery())
            : null;
    if (refused != null) {
      call.answerSelf(exchange, ErrorKind.INVALID_REQUEST, refused, List.of());
      return;
    }
    List<ProviderConfig> providers = ModelLists.providers(call.config, api);
    Gathered g = new Gathered();
    for (ProviderConfig p : providers) {
      for (String name : p.models().listedNames()) {
        g.models.putIfAbsent(name, new Model(name, startedEpochSeconds, p.name(), name));
      }
    }
    // An id only a pattern matches ("claude-*") is looked up too: the upstream's own entry (its
    // display name and date) is the one the list shows, and a made-up one would contradict it.
    if (rawId == null || (id != null && !g.models.containsKey(id))) {
      gatherLists(call, api, providers, id, g);
    }
    if (rawId == null) {
      answerList(exchange, api, call, g);
    } else {
      answerOne(exchange, api, call, providers, rawId, id, g);
    }
  }

  /**
   * Asks the providers that serve any model for their lists: the first answer for a listing (id
   * null); for an id, the next ones' lists until one shows it, since a request for it would fall
   * back to them too.
   */
  private void gatherLists(
      Call call, Api api, List<ProviderConfig> providers, String id, Gathered g) {
    List<Target> open = Target.serving(providers, null); // the providers without models
    while (!open.isEmpty()) {
      RoutingResult result = fetch(call, api, open);
      g.failed = result instanceof RoutingResult.Exhausted x && couldNotAsk(x) ? x : null;
      g.attempts.addAll(result.attempts());
      if (!(result instanceof RoutingResult.Answered a)) {
        return;
      }
      if (a.response() instanceof Completed c && addListed(g.models, c, a.provider().name())) {
        g.answered = a.provider().name();
      }
      if (id == null || g.models.containsKey(id)) {
        return;
      }
      open = notAsked(open, g.attempts);
    }
  }

  /** The whole list, Anthropic's paged. */
  private void answerList(HttpExchange exchange, Api api, Call call, Gathered g)
      throws IOException {
    // Ids, owners and names come from the upstreams' lists: scanned as every relayed body is.
    List<Model> all = List.copyOf(g.models.values());
    // Anthropic pages its list (limit, after_id, before_id); OpenAI's is one list.
    AnthropicPage<Model> page =
        api == Api.ANTHROPIC
            ? AnthropicPage.of(all, Model::id, exchange.getRequestURI().getRawQuery())
            : null;
    byte[] body =
        redactor.redact(
            Json.MAPPER.writeValueAsBytes(
                list(api, page == null ? all : page.items(), page != null && page.hasMore())));
    Responses.send(exchange, 200, "application/json", body, upstream.watchdog());
    call.log(200, g.answered, g.attempts, body, null, null);
  }

  /** One model's entry: listed, matched by a pattern, or found by the providers' own lookup. */
  private void answerOne(
      HttpExchange exchange,
      Api api,
      Call call,
      List<ProviderConfig> providers,
      String rawId,
      String id,
      Gathered g)
      throws IOException {
    // A malformed escape (id null) names no model: a 404 without asking anyone.
    Model model = id == null ? null : g.models.get(id);
    if (model == null && id != null && matchesPattern(providers, id)) {
      model = new Model(id, startedEpochSeconds, owner(providers, id), id);
    }
    if (model == null && g.failed == null && id != null) {
      RoutingResult looked = lookUp(call, api, providers, id);
      if (looked != null) {
        g.attempts.addAll(looked.attempts());
        model = entryIn(looked);
        g.answered = model == null ? g.answered : looked.attempts().getLast().provider();
        // A lookup that could not be made says nothing of the model: its failure, not a 404.
        g.failed = looked instanceof RoutingResult.Exhausted x && couldNotAsk(x) ? x : null;
      }
    }
    if (model != null) {
      byte[] body = redactor.redact(Json.MAPPER.writeValueAsBytes(entry(api, model)));
      Responses.send(exchange, 200, "application/json", body, upstream.watchdog());
      call.log(200, g.answered, g.attempts, body, null, null);
      return;
    }
    ErrorKind kind;
    String message;
    if (g.failed != null) {
      // A provider that serves any model could not be asked: whether it has this one is unknown,
      // and a 404 would tell an SDK for good that a model chat serves does not exist.
      kind = g.failed.kind();
      message = redactor.redact(g.failed.message());
      if (g.failed.retryAfter() != null) {
        Responses.retryAfter(exchange.getResponseHeaders(), g.failed.retryAfter());
      }
    } else {
      kind = ErrorKind.MODEL_NOT_FOUND;
      message = ModelLists.notServedMessage(providers, id == null ? rawId : id, redactor);
    }
    byte[] body = Responses.errorBody(api, kind, message);
    try {
      Responses.error(exchange, kind, body);
    } finally {
      call.log(kind.status, null, g.attempts, body, message, null);
    }
  }

  /**
   * Whether the list calls failed in a way that says nothing about the model: a provider down,
   * slow, rate limited or skipped while cooling down. A refused list call (an OpenAI key scoped to
   * chat answers 401) is an answer: the model is then unknown, as without any list.
   */
  private static boolean couldNotAsk(RoutingResult.Exhausted x) {
    for (AttemptRecord a : x.attempts()) {
      if (a.action() == AttemptRecord.Action.SKIPPED) {
        return true;
      }
      if (a.failureClass() != null) {
        switch (a.failureClass()) {
          case RATE_LIMITED, OVERLOADED, SERVER_ERROR, TIMEOUT, CONNECT, BROKEN, INVALID_BODY -> {
            return true;
          }
          default -> {
            // a refusal: the provider answered
          }
        }
      }
    }
    return false;
  }

  /**
   * An id no list shows, asked of each provider that serves any model by its own {@code GET
   * .../models/{id}}: Anthropic's resolves an alias ({@code claude-sonnet-4-5}) to its dated id,
   * which is all its list shows, and chat sends the alias to such a provider as it is. Null when
   * there is none to ask, or the id may not be sent: a gateway key is never sent on, not even in a
   * path, and a dot segment would be another path once a server normalises it.
   */
  private RoutingResult lookUp(Call call, Api api, List<ProviderConfig> providers, String id) {
    List<Target> open = Target.serving(providers, null);
    if (open.isEmpty() || Route.isDotSegment(id) || call.gatewayKeys.containsSecret(id)) {
      return null;
    }
    return fetch(call, api, open, Route.pathSegment(id));
  }

  /** The model entry a lookup found: the first provider's 200 with one; null otherwise. */
  private Model entryIn(RoutingResult looked) {
    if (looked instanceof RoutingResult.Answered a
        && a.response() instanceof Completed c
        && c.status() == 200) {
      try {
        return modelOf(Json.MAPPER.readTree(c.body()), a.provider().name());
      } catch (JacksonException e) {
        return null;
      }
    }
    return null;
  }

  private RoutingResult fetch(Call call, Api api, List<Target> open) {
    return fetch(call, api, open, null);
  }

  /** The providers' lists, or with {@code segment} (an id as a path segment) one model's entry. */
  private RoutingResult fetch(Call call, Api api, List<Target> open, String segment) {
    long deadline = call.startNanos + call.config.server().requestTimeout().toNanos();
    long cap = call.config.server().maxResponseBytes();
    return executor.executeListing(
        open,
        deadline,
        call.config.server().maxCooldownWait(),
        (t, timeout) ->
            upstream.listModels(t.provider(), speaks(t, api), segment, timeout, cap, call.memory));
  }

  /**
   * The targets no attempt has asked yet. Not "those after the one that answered": providers of
   * equal priority take turns (ProviderOrder), so the order tried is not the config's.
   */
  private static List<Target> notAsked(List<Target> targets, List<AttemptRecord> attempts) {
    Set<String> asked = new HashSet<>();
    for (AttemptRecord a : attempts) {
      asked.add(a.provider());
    }
    return targets.stream().filter(t -> !asked.contains(t.provider().name())).toList();
  }

  /** A provider of the other API lists its models at its own API's path, in its own format. */
  private static Api speaks(Target t, Api endpoint) {
    return t.provider().api() == null ? endpoint : Api.of(t.provider().api());
  }

  /** Adds the names of a provider's own list not listed yet; false when it gave no list. */
  private boolean addListed(Map<String, Model> models, Completed c, String provider) {
    if (c.status() < 200 || c.status() > 299) {
      return false;
    }
    JsonNode data;
    try {
      data = Json.MAPPER.readTree(c.body()).path("data");
    } catch (JacksonException e) {
      return false;
    }
    if (!data.isArray()) {
      return false;
    }
    for (JsonNode m : data) {
      Model model = modelOf(m, provider);
      if (model != null) {
        models.putIfAbsent(model.id(), model);
      }
    }
    return true;
  }

  /** One entry of a provider's list, in either API's format; null when it has no id. */
  private Model modelOf(JsonNode m, String provider) {
    JsonNode id = m.path("id");
    if (!id.isString() || id.stringValue().isEmpty()) {
      return null;
    }
    String name = id.stringValue();
    long created =
        m.path("created").isIntegralNumber()
            ? m.path("created").asLong()
            : createdAt(m.path("created_at"));
    String owner = m.path("owned_by").isString() ? m.path("owned_by").stringValue() : provider;
    String display =
        m.path("display_name").isString() ? m.path("display_name").stringValue() : name;
    return new Model(name, created, owner, display);
  }

  private long createdAt(JsonNode value) {
    if (value.isString()) {
      try {
        return Instant.parse(value.stringValue()).getEpochSecond();
      } catch (java.time.format.DateTimeParseException e) {
        // not a time: the default below
      }
    }
    return startedEpochSeconds;
  }

  /** A name that no list shows but a provider's {@code models} pattern serves. */
  private static boolean matchesPattern(List<ProviderConfig> providers, String id) {
    return owner(providers, id) != null;
  }

  private static String owner(List<ProviderConfig> providers, String id) {
    for (ProviderConfig p : providers) {
      if (!p.models().servesAny() && p.models().upstreamFor(id) != null) {
        return p.name();
      }
    }
    return null;
  }

  /** OpenAI: {@code {"object": "list", "data": [...]}}; Anthropic: a page of the list. */
  private static ObjectNode list(Api api, List<Model> models, boolean hasMore) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (api == Api.OPENAI) {
      root.put("object", "list");
    }
    ArrayNode data = root.putArray("data");
    for (Model m : models) {
      data.add(entry(api, m));
    }
    if (api == Api.ANTHROPIC) {
      root.put("has_more", hasMore);
      List<Model> all = models;
      if (all.isEmpty()) {
        root.putNull("first_id");
        root.putNull("last_id");
      } else {
        root.put("first_id", all.get(0).id());
        root.put("last_id", all.get(all.size() - 1).id());
      }
    }
    return root;
  }

  private static ObjectNode entry(Api api, Model m) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    if (api == Api.OPENAI) {
      node.put("id", m.id());
      node.put("object", "model");
      node.put("created", m.created());
      node.put("owned_by", m.owner());
    } else {
      node.put("type", "model");
      node.put("id", m.id());
      node.put("display_name", m.displayName());
      node.put("created_at", Instant.ofEpochSecond(m.created()).toString());
    }
    return node;
  }
}
