package dev.llmrouter.cli;

import dev.llmrouter.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/** Config files for CLI tests, built as JSON trees. */
final class ConfigFiles {

  private ConfigFiles() {}

  /** A canary key: long enough to be masked, unique enough to search every output for. */
  static String canary(String provider) {
    return "sk-canary-" + provider + "-5f1e0c9a7d3b2468";
  }

  static ObjectNode root() {
    return Json.MAPPER.createObjectNode();
  }

  /** A provider entry with a {@link #canary} key, 5 s timeout and no retries. */
  static ObjectNode provider(String name, String baseUrl, int priority) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("name", name);
    p.put("api_key", canary(name));
    p.put("base_url", baseUrl);
    p.put("priority", priority);
    p.put("timeout", 5);
    p.put("max_retries", 0);
    return p;
  }

  static Path write(Path file, ObjectNode root) throws IOException {
    Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    return file;
  }
}
