package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.Version;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.metrics.Metrics;
import dev.llmrouter.routing.Availability;
import dev.llmrouter.routing.ProviderRegistry;
import dev.llmrouter.routing.ProviderSnapshot;
import dev.llmrouter.wire.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router's own pages: {@code /}, {@code /health}, {@code /health/ready}, {@code /openapi.json},
 * {@code /docs}, {@code /metrics}.
 */
final class InfoPages {

  private final LiveConfig live;
  private final ProviderRegistry registry;
  private final Metrics metrics;
  private final IntSupplier inFlight;
  private final Supplier<String> deadThread;
  private final Supplier<String> notReady;
  private final byte[] root;
  private final byte[] openApi;
  private final byte[] docs;

  /** Model names come from clients (a provider that serves any model): scanned for keys. */
  private final Redactor redactor;

  /**
   * @param deadThread names a thread the router cannot work without that has died, or null
   * @param notReady why the router takes no traffic now (starting, draining), or null
   */
  InfoPages(
      LiveConfig live,
      ProviderRegistry registry,
      Metrics metrics,
      Redactor redactor,
      IntSupplier inFlight,
      Supplier<String> deadThread,
      Supplier<String> notReady) {
    this.deadThread = deadThread;
    this.notReady = notReady;
    this.live = live;
    this.registry = registry;
    this.metrics = metrics;
    this.redactor = redactor;
    this.inFlight = inFlight;
    this.root = Json.MAPPER.writeValueAsBytes(rootDocument());
    String openApiText = openApiDocument();
    this.openApi = openApiText.getBytes(StandardCharsets.UTF_8);
    this.docs = docsPage(openApiText).getBytes(StandardCharsets.UTF_8);
  }

  void handle(HttpExchange exchange, Route route) throws IOException {
    switch (route) {
      case ROOT -> Responses.send(exchange, 200, "application/json", root);
      case HEALTH -> {
        String dead = deadThread.get();
        ObjectNode health = health(dead);
        // A router with a dead worker thread hangs on some requests while still answering here:
        // a failing probe lets a supervisor restart it instead of sending it traffic.
        Responses.send(
            exchange,
            dead == null ? 200 : 503,
            "application/json",
            Json.MAPPER.writeValueAsBytes(health));
      }
      case READY -> {
        // Not the providers' state: an upstream outage must not take every router out of a pool.
        String dead = deadThread.get();
        String why = dead != null ? dead + " has stopped; restart the router" : notReady.get();
        ObjectNode ready = Json.MAPPER.createObjectNode();
        ready.put("status", why == null ? "ready" : "not_ready");
        if (why != null) {
          ready.put("reason", why);
        }
        Responses.send(
            exchange,
            why == null ? 200 : 503,
            "application/json",
            Json.MAPPER.writeValueAsBytes(ready));
      }
      case OPENAPI -> Responses.send(exchange, 200, "application/json", openApi);
      case DOCS -> Responses.send(exchange, 200, "text/html; charset=utf-8", docs);
      case METRICS ->
          Responses.send(
              exchange,
              200,
              "text/plain; version=0.0.4; charset=utf-8",
              metrics
                  .render(inFlight.getAsInt(), providerStates())
                  .getBytes(StandardCharsets.UTF_8));
      default -> throw new IllegalArgumentException("not a page: " + route);
    }
  }

  /**
   * One gauge line per provider and state ({@link Availability}): 1 for its current state, 0 for
   * the others. Built per scrape, never per request.
   */
  private List<String> providerStates() {
    List<String> lines = new ArrayList<>();
    RouterConfig config = live.get().config();
    addStates(lines, "openai", config.openai());
    addStates(lines, "anthropic", config.anthropic());
    return lines;
  }

  private void addStates(List<String> lines, String endpoint, List<ProviderConfig> providers) {
    for (ProviderConfig p : providers) {
      Availability current = registry.of(p).snapshot().availability();
      for (Availability state : Availability.values()) {
        lines.add(
            "llm_router_provider_state{endpoint=\""
                + endpoint
                + "\",provider=\""
                + Metrics.escape(p.name())
                + "\",state=\""
                + state.label()
                + "\"} "
                + (state == current ? 1 : 0));
      }
    }
  }

  private static ObjectNode rootDocument() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("name", "llm-api-router");
    root.put("version", Version.get());
    ObjectNode endpoints = root.putObject("endpoints");
    for (Api api : Api.values()) {
      var paths = endpoints.putArray(api.id());
      Route.documented(api).stream()
          .map(route -> route.substring(route.indexOf(' ') + 1))
          .distinct()
          .forEach(paths::add);
    }
    root.put("health", "/health");
    root.put("ready", "/health/ready");
    root.put("openapi", "/openapi.json");
    root.put("docs", "/docs");
    root.put("metrics", "/metrics");
    return root;
  }

  /**
   * 200 whenever the router serves; names and states only, never a key or a URL. The top-level
   * {@code status} says whether every endpoint can serve: {@code ok}, {@code degraded} (some
   * provider cannot serve now: rate limited, breaker open, key rejected) or {@code unavailable}
   * (some endpoint has no provider that takes a request now), with the endpoints concerned named.
   */
  private ObjectNode health(String deadThread) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("status", "ok"); // first in the object; set below
    if (deadThread != null) {
      root.put("reason", deadThread + " has stopped; restart the router");
    }
    root.put("version", Version.get());
    ObjectNode endpoints = root.putObject("endpoints");
    RouterConfig config = live.get().config();
    List<String> degraded = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    for (Api api : Api.values()) {
      List<ProviderConfig> providers = api == Api.OPENAI ? config.openai() : config.anthropic();
      String status = addProviders(endpoints.putObject(api.id()), providers);
      if (status.equals("degraded")) {
        degraded.add(api.id());
      } else if (status.equals("unavailable")) {
        unavailable.add(api.id());
      }
    }
    if (deadThread != null) {
      root.put("status", "unhealthy");
    } else if (!unavailable.isEmpty()) {
      root.put("status", "unavailable");
    } else if (!degraded.isEmpty()) {
      root.put("status", "degraded");
    }
    if (!unavailable.isEmpty()) {
      unavailable.forEach(root.putArray("unavailable")::add);
    }
    if (!degraded.isEmpty()) {
      degraded.forEach(root.putArray("degraded")::add);
    }
    return root;
  }

  /**
   * Lists an endpoint's providers and returns its status: {@code ok} when every provider is
   * available, {@code unavailable} when none takes a request now, else {@code degraded}; {@code
   * not_configured} for an endpoint without providers, which is no fault.
   */
  private String addProviders(ObjectNode endpoint, List<ProviderConfig> providers) {
    endpoint.put("status", "ok"); // first in the object; set below
    ArrayNode list = endpoint.putArray("providers");
    boolean allAvailable = true;
    boolean anyTakes = false;
    for (ProviderConfig p : providers) {
      ProviderSnapshot s = registry.of(p).snapshot();
      allAvailable &= s.availability() == Availability.AVAILABLE;
      anyTakes |= s.takesRequests();
      ObjectNode node = list.addObject();
      node.put("name", p.name());
      node.put("priority", p.priority());
      node.put("state", s.shownState());
      if (s.shownSecondsLeft() > 0) {
        node.put("seconds_left", s.shownSecondsLeft());
      }
      if (s.shownReason() != null) {
        node.put("reason", s.shownReason());
      }
      if (s.lastError() != null) {
        node.put("last_error", s.lastError());
        node.put("last_error_at", Instant.ofEpochMilli(s.lastErrorEpochMillis()).toString());
      }
      if (!s.modelsCoolingDown().isEmpty()) {
        // A 429 cools one upstream model: the provider's other models still serve.
        ObjectNode models = node.putObject("models_cooling_down");
        s.modelsCoolingDown().forEach((m, left) -> models.put(redactor.redact(m), left));
      }
      if (!s.modelsNotServed().isEmpty()) {
        // It answered that it does not serve these: later requests for them skip it a while.
        ObjectNode models = node.putObject("models_not_served");
        s.modelsNotServed().forEach((m, left) -> models.put(redactor.redact(m), left));
      }
      node.put("successes", s.successes());
      node.put("failures", s.failures());
    }
    String word =
        providers.isEmpty()
            ? "not_configured"
            : !anyTakes ? "unavailable" : allAvailable ? "ok" : "degraded";
    endpoint.put("status", word);
    return word;
  }

  private static String openApiDocument() {
    ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(resource("openapi.json"));
    ((ObjectNode) doc.get("info")).put("version", Version.get());
    return Json.MAPPER.writeValueAsString(doc);
  }

  /** The page embeds its document, so it needs no second fetch and no CDN (air-gapped use). */
  private static String docsPage(String openApiJson) {
    // "</" inside a <script> would end it early; JSON allows "\/" for "/".
    String embedded = openApiJson.replace("</", "<\\/");
    return resource("docs.html").replace("/*OPENAPI_DOCUMENT*/{}", embedded);
  }

  private static String resource(String name) {
    try (InputStream in = InfoPages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
