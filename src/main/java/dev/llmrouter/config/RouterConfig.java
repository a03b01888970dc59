package dev.llmrouter.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A router configuration: what {@link ConfigLoader} returns after validating a file or a string, or
 * what an embedding program builds in code. Provider lists are kept in priority order (stable:
 * equal priorities keep the order they were given in).
 */
public record RouterConfig(
    ServerSettings server,
    LoggingSettings logging,
    List<ProviderConfig> openai,
    List<ProviderConfig> anthropic) {

  public static final String DEFAULT_FILE = "llm_router_config.json";
  public static final Path DEFAULT_LOG_DIR = Path.of("logs");

  public RouterConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(logging, "logging");
    openai = byPriority(openai, Family.OPENAI);
    anthropic = byPriority(anthropic, Family.ANTHROPIC);
  }

  /** A config whose other logging settings are the defaults. */
  public RouterConfig(
      ServerSettings server,
      Path logDir,
      List<ProviderConfig> openai,
      List<ProviderConfig> anthropic) {
    this(server, LoggingSettings.in(Objects.requireNonNull(logDir, "logDir")), openai, anthropic);
  }

  /** The directory of the request logs ({@code logging.dir}). */
  public Path logDir() {
    return logging.dir();
  }

  /**
   * In priority order, each with the API it speaks (its endpoint's unless it chose one) and its
   * auth style (that API's standard unless it chose one).
   */
  private static List<ProviderConfig> byPriority(List<ProviderConfig> providers, Family endpoint) {
    List<ProviderConfig> sorted = new ArrayList<>(providers.size());
    for (ProviderConfig p : providers) {
      ProviderConfig spoken = p.api() == null ? p.withApi(endpoint) : p;
      sorted.add(spoken.auth() == null ? spoken.withAuth(Auth.standardFor(spoken.api())) : spoken);
    }
    sorted.sort(Comparator.comparingInt(ProviderConfig::priority)); // stable
    return List.copyOf(sorted);
  }

  /**
   * Every secret the router holds, for redaction: provider keys, gateway keys, and header values
   * that came from the environment.
   */
  public List<String> secrets() {
    List<String> all = new ArrayList<>(server.apiKeys());
    for (List<ProviderConfig> endpoint : List.of(openai, anthropic)) {
      for (ProviderConfig p : endpoint) {
        if (p.apiKey() != null) {
          all.add(p.apiKey());
        }
        for (ProviderHeader h : p.headers()) {
          if (h.secret()) {
            all.add(h.value());
            all.addAll(h.secretParts());
          }
        }
      }
    }
    return all;
  }

  public RouterConfig withServer(ServerSettings newServer) {
    return new RouterConfig(newServer, logging, openai, anthropic);
  }

  public RouterConfig withLogging(LoggingSettings newLogging) {
    return new RouterConfig(server, newLogging, openai, anthropic);
  }

  public RouterConfig withLogDir(Path newLogDir) {
    return withLogging(logging.withDir(newLogDir));
  }
}
