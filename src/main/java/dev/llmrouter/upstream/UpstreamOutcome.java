package dev.llmrouter.upstream;

import dev.llmrouter.wire.SseFraming;
import java.net.http.HttpHeaders;
import java.util.List;

/** What one attempt against one provider produced, before any retry decision. */
public sealed interface UpstreamOutcome {

  /** An answer from the provider that could go to the client. */
  sealed interface Response extends UpstreamOutcome {
    int status();

    HttpHeaders headers();
  }

  /**
   * A complete HTTP response: status, headers and the whole body. The body array is handed on
   * unchanged and never mutated: copying it would cost a copy per response on the hot path.
   */
  @SuppressWarnings("ArrayRecordComponent")
  record Completed(int status, HttpHeaders headers, byte[] body) implements Response {}

  /**
   * An event stream whose first real event has arrived and is not an error: safe to commit to.
   * Whoever receives it owns {@code rest} and must close it.
   *
   * @param preamble the events before {@code first} that carry nothing a client could miss ({@link
   *     dev.llmrouter.wire.Operation#isPreamble}), held back with the commit point; relayed first
   * @param firstEventNanos time from the start of the attempt to the first event
   */
  record Streaming(
      int status,
      HttpHeaders headers,
      List<SseFraming.Event> preamble,
      SseFraming.Event first,
      UpstreamStream rest,
      long firstEventNanos)
      implements Response {}

  /** No complete response: the transport failed, or the attempt ran out of time. */
  record Failed(FailureType type, String detail) implements UpstreamOutcome {}

  /** Transport failures, by what they say about retrying. */
  enum FailureType {
    /**
     * Refused, DNS, TLS, or a timeout (connect or not) before the whole request was sent: the
     * provider cannot have started on it.
     */
    CONNECT,
    /**
     * The attempt's own timeout passed after the whole request was sent and before the full
     * response arrived: the provider may still be generating the answer, and bills for it.
     */
    TIMEOUT,
    /** The connection broke before a complete response (reset, closed early, cut body). */
    BROKEN,
    /**
     * The body did not fit the router's memory budget ({@code server.max_buffered_bytes}): a broken
     * attempt, but the router's own condition, so the provider is not blamed for it.
     */
    OVER_BUDGET
  }
}
