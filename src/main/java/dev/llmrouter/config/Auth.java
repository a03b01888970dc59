package dev.llmrouter.config;

import java.util.Locale;

/**
 * How a provider's key is presented. The config writes the lower-case names; each API has its own
 * default ({@link #BEARER} for OpenAI, {@link #X_API_KEY} for Anthropic).
 */
public enum Auth {
  /** {@code Authorization: Bearer <key>}: OpenAI and every OpenAI-compatible cloud. */
  BEARER,
  /** {@code x-api-key: <key>}: Anthropic. */
  X_API_KEY,
  /** {@code api-key: <key>}: Azure OpenAI. */
  API_KEY,
  /** No credential header: local servers (vLLM, Ollama, LM Studio) that take no key. */
  NONE;

  /** As the config writes it: {@code bearer}, {@code x-api-key}, {@code api-key}, {@code none}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** How a provider of {@code api} is sent its key unless its config says otherwise. */
  public static Auth standardFor(Family api) {
    return api == Family.OPENAI ? BEARER : X_API_KEY;
  }

  /** The value for a config name, or null when there is none such. */
  static Auth fromConfigName(String name) {
    for (Auth a : values()) {
      if (a.configName().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
