package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.upstream.UpstreamOutcome.Response;
import dev.llmrouter.wire.ErrorKind;
import java.time.Duration;
import java.util.List;

/** How a request's walk over the providers ended. */
public sealed interface RoutingResult {

  List<AttemptRecord> attempts();

  /**
   * A provider's response goes to the client as it is: a success, or a caller error (4xx) that
   * every provider would have returned too.
   *
   * @param streamVerdict for a stream: what its end tells the provider's health, to be told once it
   *     ended ({@link StreamVerdict#ended}); null otherwise
   */
  record Answered(
      Target target, Response response, List<AttemptRecord> attempts, StreamVerdict streamVerdict)
      implements RoutingResult {

    Answered(Target target, Response response, List<AttemptRecord> attempts) {
      this(target, response, attempts, null);
    }

    public ProviderConfig provider() {
      return target.provider();
    }
  }

  /**
   * No provider could answer; the router answers itself.
   *
   * @param retryAfter when every failure was a rate limit: how long until one may work, else null
   */
  record Exhausted(
      ErrorKind kind, String message, Duration retryAfter, List<AttemptRecord> attempts)
      implements RoutingResult {}
}
