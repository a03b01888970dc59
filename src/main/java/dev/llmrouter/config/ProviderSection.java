package dev.llmrouter.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One endpoint's provider list ({@code "openai"} or {@code "anthropic"}): validates each entry,
 * gives unnamed ones a positional default name and enforces unique names ({@link RouterConfig}
 * keeps them in priority order).
 */
final class ProviderSection {

  private final String endpoint;
  private final ParseContext ctx;

  /** Names taken so far, mapped to how they were taken, for a helpful duplicate message. */
  private final Map<String, String> taken = new HashMap<>();

  private ProviderSection(String endpoint, ParseContext ctx) {
    this.endpoint = endpoint;
    this.ctx = ctx;
  }

  /**
   * @param endpoint the top-level key, also the path and the default name prefix
   */
  static Optional<List<ProviderConfig>> read(String endpoint, JsonNode json, ParseContext ctx) {
    if (!json.isArray()) {
      ctx.problem(endpoint, "must be an array");
      return Optional.empty();
    }
    ProviderSection section = new ProviderSection(endpoint, ctx);
    List<ProviderConfig> providers = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      section.provider(i, json.get(i)).ifPresent(providers::add);
    }
    return Optional.of(providers); // RouterConfig puts them in priority order
  }

  private Optional<ProviderConfig> provider(int index, JsonNode json) {
    String path = ParseContext.index(endpoint, index);
    if (!json.isObject()) {
      ctx.problem(path, "must be an object");
      return Optional.empty();
    }
    ObjectReader reader = new ObjectReader(path, json, ctx);
    // Uniqueness is checked inside the converter so the problem appears in document order.
    Converter<String> text = Values.text("must be a non-empty string");
    var name =
        reader.key("name", (p, v, c) -> text.convert(p, v, c).flatMap(n -> claimExplicit(n, v, p)));
    var apiKey = reader.key("api_key", Values.providerKey("required"));
    var baseUrl = reader.key("base_url", Values.httpUrl());
    var priority =
        reader.key(
            "priority",
            Values.integer(
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                "must be " + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE));
    var timeout = reader.key("timeout", Values.seconds(false));
    var maxRetries =
        reader.key(
            "max_retries",
            Values.integer(
                0,
                ProviderConfig.MAX_RETRIES_LIMIT,
                "must be 0.." + ProviderConfig.MAX_RETRIES_LIMIT));
    var streamIdleTimeout = reader.key("stream_idle_timeout", Values.seconds(false));
    var weight =
        reader.key(
            "weight",
            Values.integer(
                1, ProviderConfig.MAX_WEIGHT, "must be 1.." + ProviderConfig.MAX_WEIGHT));
    var models = reader.key("models", ProviderValues.models());
    var auth = reader.key("auth", ProviderValues.auth());
    var headers = reader.key("headers", ProviderValues.headers());
    var api = reader.key("api", ProviderValues.api());
    var maxTokens =
        reader.key("max_tokens", Values.integer(1, Integer.MAX_VALUE, "must be an integer >= 1"));
    var retryOnTimeout = reader.key("retry_on_timeout", Values.bool());
    reader.read();

    boolean keyless = auth.value().orElse(null) == Auth.NONE;
    Optional<String> key;
    if (keyless) {
      if (apiKey.present()) {
        ctx.problem(
            ParseContext.child(path, "api_key"),
            "must not be set with \"auth\": \"none\" (that provider is sent no key)");
      }
      key = Optional.empty();
    } else {
      key = apiKey.required();
    }
    // The path the router appends follows the API the provider speaks, not the endpoint.
    String speaks = api.value().map(Family::id).orElse(endpoint);
    Optional<URI> url =
        baseUrl
            .required()
            .flatMap(u -> appendable(u, ParseContext.child(path, "base_url"), speaks));
    Optional<String> resolvedName = name.present() ? name.value() : claimDefault(index, path);
    boolean invalid =
        (auth.present() && auth.value().isEmpty())
            || (models.present() && models.value().isEmpty())
            || (headers.present() && headers.value().isEmpty())
            || (api.present() && api.value().isEmpty());
    if ((key.isEmpty() && !keyless) || url.isEmpty() || resolvedName.isEmpty() || invalid) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ProviderConfig(
              resolvedName.get(),
              key.orElse(null),
              priority.orElse((long) ProviderConfig.DEFAULT_PRIORITY).intValue(),
              url.get(),
              timeout.orElse(ProviderConfig.DEFAULT_TIMEOUT),
              maxRetries.orElse((long) ProviderConfig.DEFAULT_MAX_RETRIES).intValue(),
              streamIdleTimeout.orElse(ProviderConfig.DEFAULT_STREAM_IDLE_TIMEOUT),
              weight.orElse((long) ProviderConfig.DEFAULT_WEIGHT).intValue(),
              models.orElse(ModelMap.ANY),
              auth.orElse(null),
              headers.orElse(List.of()),
              api.orElse(null),
              maxTokens.orElse(0L).intValue(),
              retryOnTimeout.orElse(false)));
    } catch (IllegalArgumentException e) {
      // The record's own checks (for configs built in code) cover what the keys above let through,
      // e.g. a timeout too small to be a nanosecond: a listed problem, never a stack trace.
      ctx.problem(path, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A base URL that already ends with the path the router appends would have every request go to
   * {@code /chat/completions/chat/completions} or {@code /v1/v1/messages}.
   */
  private Optional<URI> appendable(URI url, String path, String speaks) {
    String p = url.getRawPath() == null ? "" : url.getRawPath().toLowerCase(Locale.ROOT);
    String appended = speaks.equals("anthropic") ? "/v1/messages" : "/chat/completions";
    String problem = null;
    // The other routes' paths too: a base URL copied from the Responses API's or embeddings' docs
    // (.../v1/responses) would have chat go to .../v1/responses/chat/completions. Not /models:
    // Azure AI's inference endpoint is https://<resource>.services.ai.azure.com/models.
    for (String route :
        speaks.equals("anthropic")
            ? new String[] {"/v1/messages/count_tokens"}
            : new String[] {"/responses", "/embeddings", "/completions"}) {
      if (p.endsWith(route) && !p.endsWith(appended)) {
        problem =
            "ends with "
                + route
                + ", a path the router appends itself for its "
                + route.substring(route.lastIndexOf('/') + 1)
                + " route: remove "
                + route
                + " from base_url";
      }
    }
    if (problem != null) {
      ctx.problem(path, problem);
      return Optional.empty();
    }
    if (p.endsWith(appended)) {
      problem =
          "ends with "
              + appended
              + ", which the router appends itself: remove "
              + appended
              + " from base_url";
    } else if (speaks.equals("anthropic") && p.endsWith("/v1")) {
      problem =
          "ends with /v1, but the router appends /v1/messages itself: remove the /v1 (e.g."
              + " https://api.anthropic.com)";
    }
    if (problem != null) {
      ctx.problem(path, problem);
      return Optional.empty();
    }
    return Optional.of(url);
  }

  private Optional<String> claimExplicit(String name, JsonNode json, String path) {
    if (name.chars().anyMatch(Character::isISOControl)) {
      // Shown in headers, console lines and /metrics labels: a line break would split them.
      ctx.problem(path, "must not hold control characters (line breaks, tabs)");
      return Optional.empty();
    }
    String holder = taken.get(name);
    if (holder != null) {
      // Show the name as written: if it came from ${VAR}, the expanded value is not ours to print.
      String shown = json.stringValue().contains("${") ? json.stringValue() : name;
      ctx.problem(path, "duplicate name '" + shown + "'" + holder);
      return Optional.empty();
    }
    taken.put(name, "");
    return Optional.of(name);
  }

  /**
   * Unnamed providers are called {@code <endpoint>-<1-based position>}. If an earlier provider
   * already uses that name explicitly we refuse rather than invent another: a silently renamed
   * provider would be confusing in logs and metrics.
   */
  private Optional<String> claimDefault(int index, String path) {
    String name = endpoint + "-" + (index + 1);
    if (taken.containsKey(name)) {
      ctx.problem(
          ParseContext.child(path, "name"),
          "default name '" + name + "' is already used; set a unique \"name\"");
      return Optional.empty();
    }
    taken.put(name, " (the default name of " + path + "; give it a \"name\")");
    return Optional.of(name);
  }
}
