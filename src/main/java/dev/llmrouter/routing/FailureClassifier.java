package dev.llmrouter.routing;

import dev.llmrouter.json.Json;
import dev.llmrouter.logging.StreamEnd;
import dev.llmrouter.logging.StreamLog;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The retry/fallback decision table, in one place (README "Fallback"): every rule reads the status
 * and, where providers say more, the error body. It only classifies one attempt's outcome; {@link
 * FallbackExecutor} walks the providers and applies the verdicts, and only ever before anything was
 * sent to the client.
 */
public final class FailureClassifier {

  /** What one attempt's outcome means for the rest of the request. */
  public enum Verdict {
    /** A usable answer: return it to the client. */
    SUCCESS,
    /** Transient: the same provider again (up to max_retries, with backoff), then the next one. */
    RETRY,
    /**
     * Timed out after the whole request was sent: the provider may still be generating the answer,
     * and bills for it, so sending it again could bill twice. The next provider at once; as {@link
     * #RETRY} only on a provider with {@code retry_on_timeout}.
     */
    TIMED_OUT,
    /** This provider cannot serve the request now: move to the next at once, no retry. */
    NEXT,
    /**
     * The key is refused or out of credit: move to the next at once, and let later requests skip
     * the provider for a while, since neither heals in a second.
     */
    KEY_REJECTED,
    /** Rate limited: move to the next provider at once; never hammer the same key. */
    RATE_LIMITED,
    /** It does not serve this model: move on, and later requests for it skip this provider. */
    MODEL_NOT_SERVED,
    /**
     * Too long for this model: another provider of the same model ID would fail the same way, so
     * move to one with another ID; with none left, the answer goes to the client as it is.
     */
    NEXT_OTHER_MODEL,
    /**
     * Refused by this host's content filter: move to a provider on another host; with none left,
     * the answer goes to the client as it is.
     */
    NEXT_OTHER_HOST,
    /**
     * It does not hold the state the request continues (a Responses API {@code
     * previous_response_id} it never made): another provider may, after a restart emptied the
     * router's memory of who made it; with none left, the answer goes to the client as it is. Says
     * nothing about the provider's health.
     */
    NOT_HELD,
    /** The caller's own fault: every provider would say the same, so return it as it is. */
    CALLER_ERROR
  }

  /**
   * One attempt, classified.
   *
   * @param failureClass why it failed; null for a success or a caller error
   * @param reason the upstream's own message (at most 300 characters) or the transport failure
   * @param retryAfter the wait a 429 asked for (read once from its headers), else null
   */
  public record Classification(
      Verdict verdict, FailureClass failureClass, String reason, Duration retryAfter) {

    static Classification of(Verdict verdict, FailureClass failureClass, String reason) {
      return new Classification(verdict, failureClass, reason, null);
    }
  }

  private static final Classification SUCCESS = Classification.of(Verdict.SUCCESS, null, null);

  private FailureClassifier() {}

  public static Verdict verdict(UpstreamOutcome outcome) {
    return classify(outcome).verdict();
  }

  public static Classification classify(UpstreamOutcome outcome) {
    return switch (outcome) {
      case Failed f ->
          switch (f.type()) {
            // The router had no memory left for the body: not the provider's fault, and the same
            // provider again would meet the same budget; the next one may answer with less.
            case OVER_BUDGET -> Classification.of(Verdict.NEXT, FailureClass.BROKEN, f.detail());
            case CONNECT -> Classification.of(Verdict.RETRY, FailureClass.CONNECT, f.detail());
            // A timeout before the whole request was sent is a CONNECT failure (TransportFailures).
            case TIMEOUT -> Classification.of(Verdict.TIMED_OUT, FailureClass.TIMEOUT, f.detail());
            case BROKEN -> Classification.of(Verdict.RETRY, FailureClass.BROKEN, f.detail());
          };
      case Completed c -> c.status() >= 200 && c.status() < 300 ? success(c) : failure(c);
      // Only a stream whose first event arrived and was not an error becomes Streaming.
      case Streaming s -> SUCCESS;
    };
  }

  /**
   * What a committed stream's end says of its provider ({@link StreamVerdict}): the transient
   * failure it was, as /health names it, or null. Broken, stalled, or an error event of a server
   * error (5xx, 529, or one without a status) count against the provider; completed, ended by the
   * client or a shutdown, a 4xx event, or a rate limit (a cooldown instead: {@link
   * #streamRateLimited}) do not.
   */
  static String streamFailure(StreamLog stream) {
    int status = stream.errorStatus();
    return switch (stream.end()) {
      case UPSTREAM_BROKEN -> "stream_broken";
      case IDLE_TIMEOUT -> "stream_idle_timeout";
      case UPSTREAM_ERROR ->
          status == 0 ? "stream_error_event" : status >= 500 ? "stream_error_" + status : null;
      case COMPLETED, CLIENT_CANCELLED, SHUTDOWN -> null;
    };
  }

  /**
   * Whether a committed stream ended on a rate limit (OpenAI's {@code too_many_requests} error
   * event, Anthropic's {@code rate_limit_error}): the provider then cools down as after a 429
   * status, since the next request would meet the same limit at once.
   */
  static boolean streamRateLimited(StreamLog stream) {
    return stream.end() == StreamEnd.UPSTREAM_ERROR && stream.errorStatus() == 429;
  }

  /**
   * A 2xx that failed because it carries an error object ({@code {"error": {"code": 400}}}, as
   * OpenRouter sends them), with the status its code stands for: if it ends up the answer (returned
   * or held as the best failure), it is never passed on as a success. The log keeps what came.
   */
  static UpstreamOutcome withItsErrorStatus(UpstreamOutcome outcome, Classification c) {
    if (outcome instanceof Completed k && k.status() < 300 && c.verdict() != Verdict.SUCCESS) {
      int status = ErrorBody.read(k.body()).httpStatus();
      if (status >= 400) {
        return new Completed(status, k.headers(), k.body());
      }
    }
    return outcome;
  }

  private static Classification success(Completed c) {
    return switch (inspect(c.body())) {
      // A 2xx whose body is not one whole JSON value was cut or garbled on the way: transient.
      case INVALID ->
          Classification.of(Verdict.RETRY, FailureClass.INVALID_BODY, "invalid JSON body");
      case NOT_OBJECT ->
          Classification.of(
              Verdict.RETRY, FailureClass.INVALID_BODY, "JSON body that is no object");
      // Some OpenAI-compatible servers answer 200 with {"error": {...}} and no answer in it;
      // OpenRouter's code is the HTTP status it stands for (PROTOCOLS.md 8.2): a 429 there is a
      // rate limit, a 402 out of credit, as if it had come as the status.
      case ERROR_OBJECT -> {
        ErrorBody error = ErrorBody.read(c.body());
        int status = error.httpStatus();
        yield status != 0
            ? failure(new Completed(status, c.headers(), c.body()))
            : Classification.of(Verdict.RETRY, FailureClass.SERVER_ERROR, error.message());
      }
      case ANSWER -> SUCCESS;
    };
  }

  /**
   * Whether the provider says it does not hold the conversation the request continues: OpenAI's 400
   * previous_response_not_found "Previous response with id 'resp_...' not found." (some compatible
   * servers: 404); and its 400 invalid_encrypted_content "The encrypted content ... could not be
   * verified", a reasoning item (include: reasoning.encrypted_content, as Codex sends with store:
   * false) made under another organisation's key, after a fallback to it. Another provider may hold
   * either.
   */
  private static boolean notHeld(int status, ErrorBody error) {
    boolean previousNotFound =
        (status == 400 || status == 404)
            && (error.is("previous_response_not_found")
                || error.says("previous response with id", "previous_response_id"))
            && error.says("not found", "previous_response_not_found");
    return previousNotFound || (status == 400 && error.is("invalid_encrypted_content"));
  }

  /**
   * Anthropic's 400 to a history with thinking on whose last assistant turn has no thinking block
   * ("Expected `thinking` or `redacted_thinking`, but found `text`. When `thinking` is enabled, a
   * final `assistant` message must start with a thinking block"): the turn came from a provider
   * that sends none (a fallback to an OpenAI-API one), which can take the history as it is. Any
   * Claude behind the same host refuses it alike, so those are passed over, as for a content
   * filter; no wait helps, and when nobody else can take it the 400 is the answer.
   */
  private static boolean thinkingMissing(int status, ErrorBody error) {
    return status == 400 && error.says("must start with a thinking block");
  }

  private static Classification failure(Completed c) {
    int status = c.status();
    ErrorBody error = ErrorBody.read(c.body());
    String reason = error.message();
    if (notHeld(status, error)) {
      return Classification.of(Verdict.NOT_HELD, FailureClass.RESPONSE_NOT_FOUND, reason);
    }
    if (thinkingMissing(status, error)) {
      return Classification.of(Verdict.NEXT_OTHER_HOST, FailureClass.RESPONSE_NOT_FOUND, reason);
    }
    return switch (status) {
      case 429 -> {
        // OpenAI: 429 insufficient_quota when the account is out of credit: no wait helps.
        if (error.is("insufficient_quota")) {
          yield Classification.of(Verdict.KEY_REJECTED, FailureClass.OUT_OF_CREDIT, reason);
        }
        // OpenAI: 429 "Request too large for gpt-4o in organization ... on tokens per min (TPM):
        // Limit 30000, Requested 31538" (PROTOCOLS.md 5.6): this request alone is over the key's
        // per-minute limit. No wait helps and smaller requests still pass: the next provider at
        // once, and no cooldown for the model.
        if (error.says("request too large")) {
          yield Classification.of(Verdict.NEXT, FailureClass.RATE_LIMITED, reason);
        }
        yield new Classification(
            Verdict.RATE_LIMITED,
            FailureClass.RATE_LIMITED,
            reason,
            RetryAfter.fromHeaders(c.headers(), Instant.now()).orElse(null));
      }
      // 402: out of credit (billing); 401/403: this key is bad or blocked.
      case 402 -> Classification.of(Verdict.KEY_REJECTED, FailureClass.OUT_OF_CREDIT, reason);
      case 401, 403 -> Classification.of(Verdict.KEY_REJECTED, FailureClass.KEY_REJECTED, reason);
      // The model or deployment is missing for this key (or the base URL is wrong for it).
      case 404 ->
          Classification.of(Verdict.MODEL_NOT_SERVED, FailureClass.MODEL_NOT_SERVED, reason);
      // 408 request timeout and 409 conflict are the SDKs' own retryable 4xx (PROTOCOLS.md 1.6).
      case 408 -> Classification.of(Verdict.RETRY, FailureClass.TIMEOUT, reason);
      case 409 -> Classification.of(Verdict.RETRY, FailureClass.SERVER_ERROR, reason);
      // 503 from anyone, and Anthropic's 529 overloaded_error: retry, then the next provider.
      case 503, 529 -> Classification.of(Verdict.RETRY, FailureClass.OVERLOADED, reason);
      default -> {
        if (status >= 500) {
          // 500/502/504 and other 5xx (501, Cloudflare's 520-524) are the provider's side too.
          yield Classification.of(Verdict.RETRY, FailureClass.SERVER_ERROR, reason);
        }
        if (status >= 400) {
          yield clientError(error);
        }
        // 1xx/3xx: redirects are not followed; this provider is misconfigured for us.
        yield Classification.of(Verdict.NEXT, FailureClass.SERVER_ERROR, "HTTP " + status);
      }
    };
  }

  /**
   * A 400-class answer: the caller's fault, unless its body says something another provider could
   * do better.
   */
  private static Classification clientError(ErrorBody error) {
    String reason = error.message();
    // Anthropic: 400 "Your credit balance is too low to access the Anthropic API."
    if (error.says("credit balance is too low", "insufficient_quota")) {
      return Classification.of(Verdict.KEY_REJECTED, FailureClass.OUT_OF_CREDIT, reason);
    }
    // OpenAI code context_length_exceeded; Anthropic "prompt is too long: 208310 tokens > 200000
    // maximum"; DeepSeek and older vLLM "This model's maximum context length is N tokens"; newer
    // vLLM "'max_tokens' or 'max_completion_tokens' is too large"; others "context length
    // exceeded" or "exceeds the context window" (PROTOCOLS.md 8.2). And an output limit above the
    // model's: Claude "max_tokens: 64001 > 64000, which is the maximum allowed number of output
    // tokens for ..." (PROTOCOLS.md 5.1), OpenAI "max_tokens is too large: 32000. This model
    // supports at most 16384 completion tokens", DeepSeek "Invalid max_tokens value, the valid
    // range of max_tokens is [1, 8192]": Claude Code asks for 32000, which a model of another
    // provider may give.
    if (error.says(
        "context_length_exceeded",
        "maximum context length",
        "prompt is too long",
        "max_completion_tokens' is too large",
        "context length exceeded",
        "context window",
        "maximum allowed number of output tokens",
        "max_tokens is too large",
        "valid range of max_tokens")) {
      return Classification.of(Verdict.NEXT_OTHER_MODEL, FailureClass.CONTEXT_EXCEEDED, reason);
    }
    // Azure OpenAI: 400 code content_filter; OpenAI: content_policy_violation (images) and
    // invalid_prompt ("your prompt was flagged"): another host's policy may accept it.
    if (error.is("content_filter")
        || error.is("content_policy_violation")
        || error.is("invalid_prompt")) {
      return Classification.of(Verdict.NEXT_OTHER_HOST, FailureClass.CONTENT_FILTERED, reason);
    }
    // OpenRouter "... is not a valid model ID", Ollama "model 'x' not found", servers that answer
    // 400 model_not_found or "The model `x` does not exist".
    if (error.is("model_not_found")
        || error.says("does not exist", "not a valid model", "model not found", "unknown model")
        || (error.head() != null
            && error.head().toLowerCase(java.util.Locale.ROOT).matches(".*model.*not found.*"))) {
      return Classification.of(Verdict.MODEL_NOT_SERVED, FailureClass.MODEL_NOT_SERVED, reason);
    }
    return Classification.of(Verdict.CALLER_ERROR, null, reason);
  }

  /**
   * What a 2xx body is, found in one streaming pass (no tree is built): an error object has a
   * top-level non-null {@code error} and neither {@code choices} (OpenAI) nor {@code content}
   * (Anthropic).
   */
  private enum Body {
    /** Not one whole JSON value. */
    INVALID,
    /** One whole JSON value, but no object. */
    NOT_OBJECT,
    /** An object with a non-null top-level {@code error} and no answer beside it. */
    ERROR_OBJECT,
    ANSWER
  }

  /**
   * One pass over a 2xx body: is it one whole JSON value, and is it an error object rather than an
   * answer? Only the top-level keys are looked at; every value is skipped, not built (a Responses
   * answer always has {@code "error": null}, an embeddings answer a long vector).
   */
  private static Body inspect(byte[] body) {
    if (body.length >= 2
        && (body[0] == 0
            || body[1] == 0
            || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE)
            || (body[0] == (byte) 0xFE && body[1] == (byte) 0xFF))) {
      // UTF-16 or UTF-32, which the parser would read: what the router relays, scans for keys and
      // logs is UTF-8. A provider's wide body was converted as it arrived (upstream.WideText);
      // this stays for any that did not come that way.
      return Body.INVALID;
    }
    try (JsonParser p = Json.parser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return Body.INVALID;
      }
      if (t != JsonToken.START_OBJECT) {
        // Every answer of both APIs is an object: 100, [], null or "text" is no answer, even whole
        // (a chunked answer read by a wrong Content-Length can leave "100", its first chunk's
        // size).
        p.skipChildren();
        return p.nextToken() == null ? Body.NOT_OBJECT : Body.INVALID;
      }
      boolean error = false;
      boolean answer = false;
      while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "error" -> error = value != JsonToken.VALUE_NULL;
          case "choices", "content" -> answer = true;
          default -> {
            // not looked at
          }
        }
        p.skipChildren();
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return Body.INVALID;
      }
      return error && !answer ? Body.ERROR_OBJECT : Body.ANSWER;
    } catch (JacksonException e) {
      return Body.INVALID;
    }
  }
}
