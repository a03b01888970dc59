package dev.llmrouter.config;

import java.util.Locale;

/**
 * The API family a provider speaks ({@code api} in the config): OpenAI Chat Completions or
 * Anthropic Messages. A provider of the other family than its endpoint's is reached through
 * translation.
 */
public enum Family {
  OPENAI,
  ANTHROPIC;

  /** As the config and the paths write it: {@code openai}, {@code anthropic}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
