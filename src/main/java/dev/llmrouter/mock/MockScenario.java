package dev.llmrouter.mock;

import java.time.Duration;

/** How a {@link MockProvider} behaves: {@code ok | 429 | 500 | 503 | context | slow-MS | hang}. */
public sealed interface MockScenario {

  record Ok() implements MockScenario {}

  record RateLimited() implements MockScenario {}

  record ServerError() implements MockScenario {}

  /** 503, the status of an overloaded or down provider (e.g. in front of a fallback). */
  record Unavailable() implements MockScenario {}

  /**
   * 400: the prompt is over the model's context window. The router moves on to a provider of
   * another model without cooling this one down, so every request makes one real fallback hop.
   */
  record ContextExceeded() implements MockScenario {}

  record Slow(Duration delay) implements MockScenario {}

  record Hang() implements MockScenario {}

  /** Parses the CLI form; throws IllegalArgumentException with a message fit for the user. */
  public static MockScenario parse(String text) {
    return switch (text) {
      case "ok" -> new Ok();
      case "429" -> new RateLimited();
      case "500" -> new ServerError();
      case "503" -> new Unavailable();
      case "hang" -> new Hang();
      case "context" -> new ContextExceeded();
      default -> {
        if (text.startsWith("slow-")) {
          try {
            long ms = Long.parseLong(text.substring(5));
            if (ms >= 0) {
              yield new Slow(Duration.ofMillis(ms));
            }
          } catch (NumberFormatException e) {
            // falls through to the error below
          }
        }
        throw new IllegalArgumentException(
            "unknown scenario '"
                + text
                + "' (expected ok, 429, 500, 503, context, slow-MS or hang)");
      }
    };
  }
}
