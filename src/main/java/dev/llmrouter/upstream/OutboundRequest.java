package dev.llmrouter.upstream;

import java.util.List;

/**
 * What goes to every provider tried for one client request: the client's body bytes unchanged, its
 * query string, and its headers already filtered by {@link HeaderPolicy}. The body array is the
 * client's bytes, shared with the log record and never mutated.
 */
@SuppressWarnings("ArrayRecordComponent")
public record OutboundRequest(
    Api api, String rawQuery, List<HeaderPolicy.Header> headers, byte[] body, boolean stream) {}
