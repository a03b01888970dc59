package dev.llmrouter.logging;

import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.routing.AttemptRecord;
import java.util.List;

/**
 * Everything the log says about one request. Built on the request thread from references only; the
 * bodies are serialised (and redacted) on the writer thread.
 *
 * <p>The body arrays are the very bytes that went to and came from the wire, shared and never
 * mutated: copying them per request would cost more than the rest of the record.
 *
 * @param startEpochMillis wall-clock start
 * @param endpoint {@code openai} or {@code anthropic}; {@code none} for a path under neither
 * @param method the HTTP method
 * @param path the raw path the client called (the route)
 * @param model the body's {@code model} or null
 * @param provider the provider that answered, or null
 * @param requestIsJson the request body was proven to be one JSON value (the fields were read)
 * @param responseShape what is known of the response body: proven JSON (a 2xx answer checked by the
 *     failure classifier, or one the router built) is copied as it is, an embeddings list without
 *     its vectors
 * @param error the router's own error message when it answered itself, else null
 * @param streamLog for a relayed stream, its events and how it ended; else null
 * @param clientKey the id of the gateway key the client presented (never the key), or null
 * @param maxLoggedBytes the most of each body the line keeps ({@code server.max_response_bytes} of
 *     the config the request ran on)
 * @param memory what the request holds of the memory budget (its bodies, which this record keeps
 *     alive): given back once the line is written; null when nothing is held
 */
@SuppressWarnings("ArrayRecordComponent")
public record RequestRecord(
    String id,
    long startEpochMillis,
    long durationMicros,
    String endpoint,
    String method,
    String path,
    String model,
    boolean stream,
    int status,
    String provider,
    List<AttemptRecord> attempts,
    byte[] requestBody,
    byte[] responseBody,
    boolean requestIsJson,
    BodyShape responseShape,
    String error,
    StreamLog streamLog,
    String clientKey,
    long maxLoggedBytes,
    MemoryBudget.Ledger memory) {

  /** Failed requests and requests with a failed attempt also go to the errors file. */
  boolean isFailure() {
    if (status >= 400 || error != null || (streamLog != null && !streamLog.completed())) {
      return true;
    }
    for (AttemptRecord a : attempts) {
      if (a.failed()) {
        return true; // a provider merely skipped is no failure: nothing was asked of it
      }
    }
    return false;
  }
}
