package dev.llmrouter.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a reload changes, in the config's own words (JSON paths and provider names), never a value
 * that may be secret: a changed key is reported as {@code api_key}, a header by its name only.
 *
 * @param providersAdded providers the new config has and the previous did not, as {@code
 *     endpoint/name}
 * @param providersRemoved providers the previous config had and the new one does not
 * @param providersChanged providers in both whose settings differ, as {@code endpoint/name (key,
 *     key)}, and an endpoint whose providers now come in another order
 * @param settingsChanged server and logging settings that differ and apply at once
 * @param needRestart settings whose new value differs from the one the process started with (its
 *     address, in-flight cap, memory budget, log folder), with the running value: they take effect
 *     only at the next start. A change back to the running value is not listed.
 */
public record ConfigChanges(
    List<String> providersAdded,
    List<String> providersRemoved,
    List<String> providersChanged,
    List<String> settingsChanged,
    List<String> needRestart) {

  public ConfigChanges {
    providersAdded = List.copyOf(providersAdded);
    providersRemoved = List.copyOf(providersRemoved);
    providersChanged = List.copyOf(providersChanged);
    settingsChanged = List.copyOf(settingsChanged);
    needRestart = List.copyOf(needRestart);
  }

  /** A setting by its JSON path (or key, in a provider entry) and how to read it. */
  private record Setting<T>(String path, Function<T, Object> value) {}

  /** Settings a running router applies at once (server.apply, the log writer, the affinity map). */
  private static final List<Setting<RouterConfig>> LIVE =
      List.of(
          new Setting<>("server.api_keys", c -> c.server().apiKeys()),
          new Setting<>("server.max_body_bytes", c -> c.server().maxBodyBytes()),
          new Setting<>("server.request_timeout", c -> c.server().requestTimeout()),
          new Setting<>("server.shutdown_grace", c -> c.server().shutdownGrace()),
          new Setting<>("server.max_response_bytes", c -> c.server().maxResponseBytes()),
          new Setting<>("server.allowed_hosts", c -> c.server().allowedHosts()),
          new Setting<>("server.allowed_origins", c -> c.server().allowedOrigins()),
          new Setting<>("server.max_cooldown_wait", c -> c.server().maxCooldownWait()),
          new Setting<>("server.response_affinity_max", c -> c.server().responseAffinityMax()),
          new Setting<>("server.response_affinity_ttl", c -> c.server().responseAffinityTtl()),
          new Setting<>("logging.bodies", c -> c.logging().bodies().configName()),
          new Setting<>("logging.max_file_mb", c -> c.logging().maxFileBytes()),
          new Setting<>("logging.keep_files", c -> c.logging().keepFiles()));

  /** Settings fixed when the process starts: the bound socket, the permits, the log folder. */
  private static final List<Setting<RouterConfig>> AT_START =
      List.of(
          new Setting<>("server.host", c -> c.server().host()),
          new Setting<>("server.port", c -> c.server().port()),
          new Setting<>("server.max_in_flight", c -> c.server().maxInFlight()),
          new Setting<>("server.max_buffered_bytes", c -> c.server().maxBufferedBytes()),
          new Setting<>("logging.dir", RouterConfig::logDir));

  /** A provider's settings by their keys; {@code headers} by name, since values may be keys. */
  private static final List<Setting<ProviderConfig>> PROVIDER =
      List.of(
          new Setting<>("api_key", p -> Objects.requireNonNullElse(p.apiKey(), "")),
          new Setting<>("base_url", ProviderConfig::baseUrl),
          new Setting<>("priority", ProviderConfig::priority),
          new Setting<>("timeout", ProviderConfig::timeout),
          new Setting<>("max_retries", ProviderConfig::maxRetries),
          new Setting<>("retry_on_timeout", ProviderConfig::retryOnTimeout),
          new Setting<>("stream_idle_timeout", ProviderConfig::streamIdleTimeout),
          new Setting<>("weight", ProviderConfig::weight),
          new Setting<>("models", ProviderConfig::models),
          new Setting<>("auth", ProviderConfig::auth),
          new Setting<>("headers", ProviderConfig::headers),
          new Setting<>("api", ProviderConfig::api),
          new Setting<>("max_tokens", ProviderConfig::maxTokens));

  /**
   * What serving {@code next} instead of {@code previous} changes, for a router that started with
   * {@code started}.
   */
  public static ConfigChanges between(
      RouterConfig started, RouterConfig previous, RouterConfig next) {
    return between(started, previous, next, 0);
  }

  /**
   * The same, for a router bound to {@code boundPort}: a router started with {@code server.port} 0
   * says which port it took ({@code running: 0, bound to 41234}), and an edit that names that port
   * needs no restart.
   */
  public static ConfigChanges between(
      RouterConfig started, RouterConfig previous, RouterConfig next, int boundPort) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    providers("openai", previous.openai(), next.openai(), added, removed, changed);
    providers("anthropic", previous.anthropic(), next.anthropic(), added, removed, changed);
    List<String> settings = new ArrayList<>();
    for (Setting<RouterConfig> s : LIVE) {
      if (!Objects.equals(s.value().apply(previous), s.value().apply(next))) {
        settings.add(s.path());
      }
    }
    List<String> restart = new ArrayList<>();
    for (Setting<RouterConfig> s : AT_START) {
      Object running = s.value().apply(started);
      Object wanted = s.value().apply(next);
      boolean anyPort = s.path().equals("server.port") && Integer.valueOf(0).equals(running);
      if (anyPort && boundPort > 0 && Integer.valueOf(boundPort).equals(wanted)) {
        continue; // the port it took: the router already listens there
      }
      if (!Objects.equals(running, wanted)) {
        restart.add(
            s.path()
                + " (running: "
                + running
                + (anyPort && boundPort > 0 ? ", bound to " + boundPort : "")
                + ")");
      }
    }
    return new ConfigChanges(added, removed, changed, settings, restart);
  }

  private static void providers(
      String endpoint,
      List<ProviderConfig> before,
      List<ProviderConfig> after,
      List<String> added,
      List<String> removed,
      List<String> changed) {
    Map<String, ProviderConfig> old = byName(before);
    Map<String, ProviderConfig> now = byName(after);
    List<String> keptOrderBefore = new ArrayList<>();
    for (String name : old.keySet()) {
      if (now.containsKey(name)) {
        keptOrderBefore.add(name);
      } else {
        removed.add(endpoint + "/" + name);
      }
    }
    List<String> keptOrderAfter = new ArrayList<>();
    for (Map.Entry<String, ProviderConfig> p : now.entrySet()) {
      ProviderConfig was = old.get(p.getKey());
      if (was == null) {
        added.add(endpoint + "/" + p.getKey());
        continue;
      }
      keptOrderAfter.add(p.getKey());
      List<String> keys = new ArrayList<>();
      for (Setting<ProviderConfig> k : PROVIDER) {
        if (!Objects.equals(k.value().apply(was), k.value().apply(p.getValue()))) {
          keys.add(k.path());
        }
      }
      if (!keys.isEmpty()) {
        changed.add(endpoint + "/" + p.getKey() + " (" + String.join(", ", keys) + ")");
      }
    }
    if (!keptOrderBefore.equals(keptOrderAfter)) {
      changed.add(endpoint + " order (" + String.join(", ", keptOrderAfter) + ")");
    }
  }

  private static Map<String, ProviderConfig> byName(List<ProviderConfig> providers) {
    Map<String, ProviderConfig> byName = new LinkedHashMap<>();
    for (ProviderConfig p : providers) {
      byName.put(p.name(), p);
    }
    return byName;
  }

  /** True when the new config serves exactly as the previous one did. */
  public boolean none() {
    return providersAdded.isEmpty()
        && providersRemoved.isEmpty()
        && providersChanged.isEmpty()
        && settingsChanged.isEmpty()
        && needRestart.isEmpty();
  }

  /**
   * One console line's worth: {@code providers added: openai/b; settings changed: logging.bodies;
   * need a restart to take effect: server.port (running: 8000)}, or {@code no changes}.
   */
  public String summary() {
    List<String> parts = new ArrayList<>();
    part(parts, "providers added", providersAdded);
    part(parts, "providers removed", providersRemoved);
    part(parts, "providers changed", providersChanged);
    part(parts, "settings changed", settingsChanged);
    part(parts, "need a restart to take effect", needRestart);
    return parts.isEmpty() ? "no changes" : String.join("; ", parts);
  }

  private static void part(List<String> parts, String what, List<String> items) {
    if (!items.isEmpty()) {
      parts.add(what + ": " + String.join(", ", items));
    }
  }
}
