package dev.llmrouter.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated router configuration. Provider lists are already in priority order (stable for equal
 * priorities).
 */
public record RouterConfig(
    ServerSettings server,
    Path logDir,
    List<ProviderConfig> openai,
    List<ProviderConfig> anthropic) {

  public static final String DEFAULT_FILE = "llm_router_config.json";
  public static final Path DEFAULT_LOG_DIR = Path.of("logs");

  public RouterConfig {
    openai = List.copyOf(openai);
    anthropic = List.copyOf(anthropic);
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
