package dev.llmrouter.upstream;

import dev.llmrouter.json.Json;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.wire.Operation;
import dev.llmrouter.wire.SseFraming;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a streaming attempt's start is read, before anything reaches the client: whether the answer
 * is a stream at all, and whether its first event is an error the fallback table should see.
 */
final class StreamStart {

  private StreamStart() {}

  /**
   * A first event that is itself an error, as the equivalent complete error response (see {@link
   * Operation#errorEventBody}), so the fallback table decides as for any status.
   */
  static Completed firstEventError(
      Operation operation, SseFraming.Event event, HttpHeaders upstream) {
    // The cheap check first: an ordinary first event is not parsed again (isJsonData read it).
    int status =
        event.data() == null || !operation.isErrorEvent(event)
            ? 0
            : operation.errorEventStatus(event);
    if (status == 0) {
      return null;
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(upstream.map());
    headers.put("content-type", List.of("application/json"));
    return new Completed(
        status, HttpHeaders.of(headers, (a, b) -> true), operation.errorEventBody(event));
  }

  /**
   * Whether a first event carries one JSON object, as every event of both APIs does until the end
   * (OpenAI's {@code [DONE]} comes last, never first). Junk before the first real event, a garbled
   * one, or a {@code [DONE]} with nothing before it is a broken stream: nothing has reached the
   * client, so the next provider can still answer, where a relayed or translated stream could only
   * end in an error.
   */
  static boolean isJsonData(SseFraming.Event event) {
    String data = event.data();
    return data != null && Json.isOneObject(data.getBytes(StandardCharsets.UTF_8));
  }

  /** A 2xx whose content type says an event stream follows. */
  static boolean isEventStream(HttpResponse<?> response) {
    int status = response.statusCode();
    return status >= 200
        && status < 300
        && response
            .headers()
            .firstValue("content-type")
            .map(t -> t.toLowerCase(Locale.ROOT).startsWith("text/event-stream"))
            .orElse(false);
  }
}
