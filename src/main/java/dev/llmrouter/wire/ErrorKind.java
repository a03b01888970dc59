package dev.llmrouter.wire;

/**
 * Every error the router answers by itself, with its HTTP status and its names in both dialects.
 * The Anthropic types are the ones its SDKs map to exception classes (PROTOCOLS.md 2.4); the OpenAI
 * types follow the API's own {@code invalid_request_error} / {@code server_error} split.
 */
public enum ErrorKind {
  INVALID_REQUEST(400, "invalid_request_error", "invalid_request", "invalid_request_error"),
  UNAUTHORIZED(401, "invalid_request_error", "invalid_api_key", "authentication_error"),
  FORBIDDEN(403, "invalid_request_error", "forbidden", "permission_error"),
  NOT_FOUND(404, "invalid_request_error", "not_found", "not_found_error"),
  /** No provider of the endpoint serves the model asked for: OpenAI's own 404 for that. */
  MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found", "not_found_error", "model"),
  /** Only providers with a model list are configured, and the request names no model. */
  MODEL_REQUIRED(400, "invalid_request_error", "invalid_request", "invalid_request_error", "model"),
  METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed", "invalid_request_error"),
  REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large", "request_too_large"),
  /** A WebSocket upgrade: Codex takes a 426 as the sign to send the request over HTTP at once. */
  UPGRADE_REQUIRED(426, "invalid_request_error", "upgrade_required", "invalid_request_error"),
  RATE_LIMITED(429, "rate_limit_exceeded", "rate_limit_exceeded", "rate_limit_error"),
  INTERNAL(500, "server_error", "internal_error", "api_error"),
  UPSTREAM_FAILED(502, "server_error", "upstream_error", "api_error"),
  UNAVAILABLE(503, "server_error", "service_unavailable", "overloaded_error"),
  UPSTREAM_TIMEOUT(504, "server_error", "upstream_timeout", "timeout_error");

  public final int status;
  final String openAiType;
  final String openAiCode;
  final String anthropicType;

  /** The request field at fault, OpenAI's {@code param}; null for most. */
  final String openAiParam;

  ErrorKind(int status, String openAiType, String openAiCode, String anthropicType) {
    this(status, openAiType, openAiCode, anthropicType, null);
  }

  ErrorKind(
      int status, String openAiType, String openAiCode, String anthropicType, String openAiParam) {
    this.status = status;
    this.openAiType = openAiType;
    this.openAiCode = openAiCode;
    this.anthropicType = anthropicType;
    this.openAiParam = openAiParam;
  }
}
