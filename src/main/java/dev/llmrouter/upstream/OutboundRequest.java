package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.Operation;
import java.util.List;

/**
 * What goes to every provider tried for one client request: the client's body bytes, its query
 * string, and its headers already filtered by {@link HeaderPolicy}. The body array is the client's
 * bytes, shared with the log record and never mutated; a provider that knows the model by another
 * ID gets a copy with only that value changed.
 *
 * @param modelRewrite where the body's top-level {@code model} string sits; null when it has none
 * @param maxResponseBytes the most of one upstream body the router reads ({@code
 *     server.max_response_bytes}); past it the attempt is broken
 * @param memory this request's account in the memory budget: upstream bodies are reserved there
 * @param deadlineNanos the request's deadline ({@code server.request_timeout}, on {@link
 *     System#nanoTime}'s clock): no wait before a stream's commit point passes it
 */
@SuppressWarnings("ArrayRecordComponent")
public record OutboundRequest(
    Operation operation,
    String rawQuery,
    List<HeaderPolicy.Header> headers,
    byte[] body,
    boolean stream,
    long maxResponseBytes,
    MemoryBudget.Ledger memory,
    ModelRewrite modelRewrite,
    long deadlineNanos) {

  /** The client's API. */
  public Api api() {
    return operation.api();
  }

  /**
   * The body to send with {@code model} as its model ID (null: the client's body as it is); null
   * when the rewritten copy does not fit in the memory budget.
   */
  byte[] bodyFor(String model) {
    if (model == null || modelRewrite == null) {
      return body;
    }
    return modelRewrite.bodyFor(body, model, memory);
  }
}
