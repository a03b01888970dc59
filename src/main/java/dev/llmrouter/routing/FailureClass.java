package dev.llmrouter.routing;

import java.util.Locale;

/**
 * Why an attempt failed, as the log, the metrics and the router's own error messages name it. Set
 * by {@link FailureClassifier}, the one place that reads statuses and error bodies.
 */
public enum FailureClass {
  RATE_LIMITED("rate limited"),
  OUT_OF_CREDIT("out of credit"),
  KEY_REJECTED("key rejected"),
  CONTEXT_EXCEEDED("over the model's context or output limit"),
  CONTENT_FILTERED("content filtered"),
  MODEL_NOT_SERVED("model not served"),
  OVERLOADED("overloaded"),
  SERVER_ERROR("server error"),
  TIMEOUT("timed out"),
  CONNECT("connection failed"),
  BROKEN("broken"),
  INVALID_BODY("invalid body"),
  /** A previous response, or an encrypted reasoning item, this provider does not hold. */
  RESPONSE_NOT_FOUND("conversation state not held");

  private final String words;

  FailureClass(String words) {
    this.words = words;
  }

  /** As the log writes it: {@code rate_limited}, {@code context_exceeded}... */
  public String logName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** As a message says it: {@code rate limited}, {@code model not served}... */
  public String words() {
    return words;
  }
}
