package dev.llmrouter.routing;

import dev.llmrouter.json.Json;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;

/**
 * The retry/fallback decision table, in one place (README "Fallback"). It only classifies one
 * attempt's outcome; {@link FallbackExecutor} walks the providers and applies the verdicts, and
 * only ever before anything was sent to the client.
 */
public final class FailureClassifier {

  /** What one attempt's outcome means for the rest of the request. */
  public enum Verdict {
    /** A usable answer: return it to the client. */
    SUCCESS,
    /** Transient: the same provider again (up to max_retries, with backoff), then the next one. */
    RETRY,
    /** This provider cannot serve the request now: move to the next at once, no retry. */
    NEXT,
    /**
     * The provider refused its key (401, 403) or its quota is spent (402): move to the next at
     * once, and let later requests skip it for a while, since a bad key does not heal in a second.
     */
    KEY_REJECTED,
    /** Rate limited: move to the next provider at once; never hammer the same key. */
    RATE_LIMITED,
    /** The caller's own fault: every provider would say the same, so return it as it is. */
    CALLER_ERROR
  }

  private FailureClassifier() {}

  public static Verdict classify(UpstreamOutcome outcome) {
    return switch (outcome) {
      // The router had no memory left for the body: not the provider's fault, and the same provider
      // again would meet the same budget; the next one may answer with less.
      case Failed f when f.type() == FailureType.OVER_BUDGET -> Verdict.NEXT;
      // Refused/DNS/TLS/connect timeout, attempt timeout, reset or cut before a complete response.
      case Failed f -> Verdict.RETRY;
      case Completed c -> classifyStatus(c);
      // Only a stream whose first event arrived and was not an error becomes Streaming.
      case Streaming s -> Verdict.SUCCESS;
    };
  }

  private static Verdict classifyStatus(Completed response) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      // A 200 whose body is not one whole JSON value was cut or garbled on the way: transient.
      return Json.isWellFormed(response.body()) ? Verdict.SUCCESS : Verdict.RETRY;
    }
    return switch (status) {
      // 408 request timeout and 409 conflict are the SDKs' own retryable 4xx (PROTOCOLS.md 1.6).
      case 408, 409 -> Verdict.RETRY;
      case 429 -> Verdict.RATE_LIMITED;
      // 401/403: this key is bad or blocked; 402: out of quota/billing.
      case 401, 402, 403 -> Verdict.KEY_REJECTED;
      // The model or deployment is missing *for this key*: another provider may well serve it.
      case 404 -> Verdict.NEXT;
      default -> {
        if (status >= 500) {
          // 500/502/503/504 transient; 529 is Anthropic's overloaded_error. Other 5xx (501,
          // Cloudflare's 520-524) are the provider's side too.
          yield Verdict.RETRY;
        }
        if (status >= 400) {
          // 400, 413, 422...: the request itself is wrong and would fail everywhere.
          yield Verdict.CALLER_ERROR;
        }
        // 1xx/3xx: redirects are not followed; this provider is misconfigured for us.
        yield Verdict.NEXT;
      }
    };
  }
}
