package dev.llmrouter.server;

import dev.llmrouter.routing.FailureClassifier;
import dev.llmrouter.routing.FailureClassifier.Verdict;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.wire.Translator;
import java.util.concurrent.atomic.AtomicReference;

/** A provider's 2xx answer and its translation into the client's API. */
@SuppressWarnings("ArrayRecordComponent") // made once, read once, never mutated
record Translated(Completed source, byte[] body) {

  /** Whether it is the translation of this very answer (not of an earlier attempt's). */
  @SuppressWarnings("ReferenceEquality") // identity is the point: one attempt's answer
  boolean of(Completed answer) {
    return source == answer;
  }

  /**
   * A 2xx of a provider of the other API, translated inside its attempt: JSON that is no answer of
   * that API (no content, a shape it does not define) is then a broken attempt the walk moves past,
   * instead of a 502 once the walk is over. The translation is kept for the answer.
   *
   * @param translator from the provider's API to the client's; null when both speak the same
   * @param clientRequest the client's request body, which the answer is to
   */
  static UpstreamOutcome inAttempt(
      Translator translator,
      UpstreamOutcome outcome,
      byte[] clientRequest,
      AtomicReference<Translated> into) {
    if (translator == null || !(outcome instanceof Completed c) || c.status() >= 300) {
      return outcome;
    }
    try {
      into.set(new Translated(c, translator.response(c.body(), clientRequest)));
      return outcome;
    } catch (IllegalArgumentException e) {
      // An error object in a 2xx ({"error": {"code": 429}}, as OpenRouter and DeepSeek send them)
      // or a cut body is classed by the provider's own rules, as from a provider of the client's
      // API (issue 14 §2.4): a rate limit cools, a 400 is returned, in the client's shape.
      return FailureClassifier.classify(outcome).verdict() == Verdict.SUCCESS
          ? new Failed(FailureType.BROKEN, "answered 2xx with a body its API does not define")
          : outcome;
    }
  }
}
