package dev.llmrouter.cli;

import dev.llmrouter.config.ConfigLoader;
import dev.llmrouter.config.ProviderHeader;
import dev.llmrouter.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Warns when a config file that holds literal keys can be read by other users. Only a warning: many
 * deployments mount their config read-only with such modes, and refusing to start would break them.
 */
final class ConfigFileModes {
  private ConfigFileModes() {}

  /** The warning to print, or null when there is nothing to warn about. */
  static String warning(Path file) {
    Set<PosixFilePermission> modes;
    try {
      modes = Files.getPosixFilePermissions(file);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
    boolean shared =
        modes.contains(PosixFilePermission.GROUP_READ)
            || modes.contains(PosixFilePermission.OTHERS_READ);
    if (!shared || !holdsLiteralKeys(file)) {
      return null;
    }
    return "warning: "
        + file
        + " holds literal keys and is readable by other users; run 'chmod 600 "
        + file
        + "' or use ${ENV} references";
  }

  private static boolean holdsLiteralKeys(Path file) {
    try {
      String text = ConfigLoader.readText(file);
      // A leading byte-order mark, as the loader takes it (JsonText): the keys are still there.
      JsonNode root = Json.MAPPER.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
      for (String endpoint : new String[] {"openai", "anthropic"}) {
        for (JsonNode provider : root.path(endpoint)) {
          if (isLiteral(provider.path("api_key"))) {
            return true;
          }
          for (Map.Entry<String, JsonNode> header : provider.path("headers").properties()) {
            if (ProviderHeader.namesACredential(header.getKey()) && isLiteral(header.getValue())) {
              return true;
            }
          }
        }
      }
      for (JsonNode key : root.path("server").path("api_keys")) {
        if (isLiteral(key)) {
          return true;
        }
      }
      return false;
    } catch (IOException | JacksonException e) {
      return false;
    }
  }

  private static boolean isLiteral(JsonNode value) {
    return value.isString() && !value.asString().contains("${");
  }
}
