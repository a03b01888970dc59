package dev.llmrouter.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The converters of a provider's {@code models}, {@code auth} and {@code headers}. The rules
 * themselves live with the types ({@link ModelMap#problem}, {@link ProviderHeader#nameProblem});
 * here they get their JSON paths.
 */
final class ProviderValues {

  private static final String MODELS_SHAPE =
      "must be a non-empty array of model names or a non-empty object of model name -> model ID";

  private ProviderValues() {}

  /** {@code ["gpt-4o", ...]} or {@code {"gpt-4o": "openai/gpt-4o", ...}}. */
  static Converter<ModelMap> models() {
    return (path, json, ctx) -> {
      if ((!json.isArray() && !json.isObject()) || json.isEmpty()) {
        ctx.problem(path, MODELS_SHAPE);
        return Optional.empty();
      }
      List<ModelMap.Entry> entries = new ArrayList<>();
      boolean ok = true;
      if (json.isArray()) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < json.size(); i++) {
          String at = ParseContext.index(path, i);
          JsonNode name = json.get(i);
          // Like every string value, ${ENV}-expanded (an Azure deployment name, say).
          Optional<String> expanded =
              name.isString() ? EnvExpander.expand(name.stringValue(), at, ctx) : Optional.empty();
          if (!name.isString() || (expanded.isPresent() && expanded.get().isEmpty())) {
            ctx.problem(at, "must be a non-empty string");
            ok = false;
          } else if (expanded.isEmpty()) {
            ok = false; // the expansion's problem is reported
          } else if (!seen.add(expanded.get())) {
            ctx.problem(at, "duplicate model name '" + shown(expanded.get()) + "'");
            ok = false;
          } else {
            ok &= entry(at, expanded.get(), expanded.get(), entries, ctx);
          }
        }
      } else {
        // Duplicate keys never get here: the config's JSON reader refuses them.
        for (Map.Entry<String, JsonNode> e : json.properties()) {
          String at = ParseContext.child(path, e.getKey());
          JsonNode value = e.getValue();
          Optional<String> expanded =
              value.isString()
                  ? EnvExpander.expand(value.stringValue(), at, ctx)
                  : Optional.empty();
          if (!value.isString() || (expanded.isPresent() && expanded.get().isEmpty())) {
            ctx.problem(at, "must be a non-empty string (the provider's model ID)");
            ok = false;
          } else if (expanded.isEmpty()) {
            ok = false; // the expansion's problem is reported
          } else {
            ok &= entry(at, e.getKey(), expanded.get(), entries, ctx);
          }
        }
      }
      return ok ? Optional.of(ModelMap.of(entries)) : Optional.empty();
    };
  }

  private static boolean entry(
      String at, String alias, String upstream, List<ModelMap.Entry> into, ParseContext ctx) {
    String problem = ModelMap.problem(alias, upstream);
    if (problem != null) {
      ctx.problem(at, problem);
      return false;
    }
    into.add(new ModelMap.Entry(alias, upstream));
    return true;
  }

  /** Model names are not secrets, but a pasted key could be one: long ones are not echoed. */
  private static String shown(String name) {
    return name.length() > ParseContext.MAX_SHOWN_KEY ? name.length() + " characters" : name;
  }

  /** {@code "openai"} (Chat Completions) or {@code "anthropic"} (Messages). */
  static Converter<Family> api() {
    return (path, json, ctx) -> {
      for (Family api : Family.values()) {
        if (json.isString() && api.id().equals(json.stringValue())) {
          return Optional.of(api);
        }
      }
      ctx.problem(path, "must be \"openai\" (Chat Completions) or \"anthropic\" (Messages)");
      return Optional.empty();
    };
  }

  /** {@code "bearer"}, {@code "x-api-key"}, {@code "api-key"} or {@code "none"}. */
  static Converter<Auth> auth() {
    return (path, json, ctx) -> {
      Auth auth = json.isString() ? Auth.fromConfigName(json.stringValue()) : null;
      if (auth == null) {
        ctx.problem(path, "must be one of \"bearer\", \"x-api-key\", \"api-key\", \"none\"");
        return Optional.empty();
      }
      return Optional.of(auth);
    };
  }

  /**
   * {@code {"HTTP-Referer": "https://app.example.com", "X-Gateway-Key": "${GATEWAY_KEY}"}}: names
   * unique regardless of case; a value from the environment is a secret.
   */
  static Converter<List<ProviderHeader>> headers() {
    return (path, json, ctx) -> {
      if (!json.isObject()) {
        ctx.problem(path, "must be an object of header name -> value");
        return Optional.empty();
      }
      List<ProviderHeader> headers = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      boolean ok = true;
      for (Map.Entry<String, JsonNode> e : json.properties()) {
        String name = e.getKey();
        String at = ParseContext.child(path, name);
        String problem = ProviderHeader.nameProblem(name);
        if (problem == null && !seen.add(name.toLowerCase(Locale.ROOT))) {
          problem = "is set twice (header names ignore case)";
        }
        if (problem != null) {
          ctx.problem(at, problem);
          ok = false;
          continue;
        }
        JsonNode value = e.getValue();
        if (!value.isString()) {
          ctx.problem(at, "must be a string");
          ok = false;
          continue;
        }
        List<String> substituted = new ArrayList<>(1);
        Optional<String> expanded = EnvExpander.expand(value.stringValue(), at, ctx, substituted);
        if (expanded.isEmpty()) {
          ok = false;
          continue;
        }
        problem = ProviderHeader.valueProblem(expanded.get());
        if (problem != null) {
          ctx.problem(at, problem);
          ok = false;
          continue;
        }
        if (value.stringValue().contains("${")) {
          headers.add(new ProviderHeader(name, expanded.get(), true, substituted));
        } else if (ProviderHeader.namesACredential(name)) {
          headers.add(ProviderHeader.literalCredential(name, expanded.get()));
        } else {
          headers.add(new ProviderHeader(name, expanded.get(), false, substituted));
        }
      }
      return ok ? Optional.of(headers) : Optional.empty();
    };
  }
}
