package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import java.util.List;

/**
 * What goes to every provider tried for one client request: the client's body bytes unchanged, its
 * query string, and its headers already filtered by {@link HeaderPolicy}. The body array is the
 * client's bytes, shared with the log record and never mutated.
 *
 * @param maxResponseBytes the most of one upstream body the router reads ({@code
 *     server.max_response_bytes}); past it the attempt is broken
 * @param memory this request's account in the memory budget: upstream bodies are reserved there
 */
@SuppressWarnings("ArrayRecordComponent")
public record OutboundRequest(
    Api api,
    String rawQuery,
    List<HeaderPolicy.Header> headers,
    byte[] body,
    boolean stream,
    long maxResponseBytes,
    MemoryBudget.Ledger memory) {}
