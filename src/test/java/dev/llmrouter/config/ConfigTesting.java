package dev.llmrouter.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

/** Helpers for config tests: JSON written with single quotes, and problem extraction. */
final class ConfigTesting {

  /** A valid provider body, to be embedded in {@code {...}}. */
  static final String OK = "'api_key':'k','base_url':'https://example.com'";

  private ConfigTesting() {}

  /** Lets tests write JSON with single quotes; none of them needs a literal one. */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static RouterConfig parse(String singleQuoted) throws ConfigException {
    return ConfigLoader.parse(json(singleQuoted), Map.of());
  }

  static RouterConfig parse(String singleQuoted, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(json(singleQuoted), env);
  }

  static List<String> problems(String singleQuoted) {
    return problems(singleQuoted, Map.of());
  }

  static List<String> problems(String singleQuoted, Map<String, String> env) {
    return rawProblems(json(singleQuoted), env);
  }

  /** Problems for text used as is (for JSON that needs a literal single quote or bad syntax). */
  static List<String> rawProblems(String text, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, env)).problems();
  }
}
