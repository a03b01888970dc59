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
    Path logDir,
    List<ProviderConfig> openai,
    List<ProviderConfig> anthropic) {

  public static final String DEFAULT_FILE = "llm_router_config.json";
  public static final Path DEFAULT_LOG_DIR = Path.of("logs");

  public RouterConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(logDir, "logDir");
    openai = byPriority(openai);
    anthropic = byPriority(anthropic);
  }

  private static List<ProviderConfig> byPriority(List<ProviderConfig> providers) {
    List<ProviderConfig> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparingInt(ProviderConfig::priority)); // stable
    return List.copyOf(sorted);
  }

  /** Every secret the router holds: provider keys and gateway keys, for redaction. */
  public List<String> secrets() {
    List<String> all = new ArrayList<>(server.apiKeys());
    openai.forEach(p -> all.add(p.apiKey()));
    anthropic.forEach(p -> all.add(p.apiKey()));
    return all;
  }

  public RouterConfig withServer(ServerSettings newServer) {
    return new RouterConfig(newServer, logDir, openai, anthropic);
  }

  public RouterConfig withLogDir(Path newLogDir) {
    return new RouterConfig(server, newLogDir, openai, anthropic);
  }
}
