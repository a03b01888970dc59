package dev.llmrouter.upstream;

import java.net.http.HttpHeaders;

/** What one attempt against one provider produced, before any retry decision. */
public sealed interface UpstreamOutcome {

  /**
   * A complete HTTP response: status, headers and the whole body. The body array is handed on
   * unchanged and never mutated: copying it would cost a copy per response on the hot path.
   */
  @SuppressWarnings("ArrayRecordComponent")
  record Completed(int status, HttpHeaders headers, byte[] body) implements UpstreamOutcome {}

  /** No complete response: the transport failed, or the attempt ran out of time. */
  record Failed(FailureType type, String detail) implements UpstreamOutcome {}

  /** Transport failures, by what they say about retrying. */
  enum FailureType {
    /** Refused, DNS, TLS or connect timeout: nothing reached the provider. */
    CONNECT,
    /** The attempt's own timeout passed before the full response arrived. */
    TIMEOUT,
    /** The connection broke before a complete response (reset, closed early, cut body). */
    BROKEN
  }
}
