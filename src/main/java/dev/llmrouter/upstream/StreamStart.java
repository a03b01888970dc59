package dev.llmrouter.upstream;

import dev.llmrouter.json.Json;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import dev.llmrouter.wire.Operation;
import dev.llmrouter.wire.SseFraming;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How a streaming attempt's start is read, before anything reaches the client: whether the answer
 * is a stream at all, and whether its first event is an error the fallback table should see.
 */
final class StreamStart {

  /** The most events held back before the first that commits (pings cannot hold it forever). */
  private static final int MAX_PREAMBLE = 8;

  private StreamStart() {}

  /**
   * An answer to a streaming request: {@link Streaming} once its first real event has come and is
   * not an error; else what it is (an error status, or a whole body from an upstream that ignored
   * {@code "stream"}, read like any body), read as {@code speaks} words it. The time to the first
   * event counts from {@code start}, under {@code timeout}; after it, {@code idleTimeout} between
   * events. After an opening event that is held back, the first real one may take {@code
   * idleTimeout}, but never past {@code requestDeadlineNanos}. Opening events are held back only
   * with {@code holdOpening}: where another provider could still take the request.
   */
  static UpstreamOutcome read(
      HttpResponse<InputStream> response,
      StreamWatchdog watchdog,
      long start,
      Duration timeout,
      Duration idleTimeout,
      long requestDeadlineNanos,
      long maxBytes,
      MemoryBudget.Ledger memory,
      Operation speaks,
      boolean holdOpening) {
    InputStream body;
    try {
      body = ContentCoding.decoding(response.headers(), response.body());
    } catch (ContentCoding.Unsupported e) {
      closeQuietly(response.body());
      return TransportFailures.of(e);
    }
    UpstreamStream stream =
        new UpstreamStream(
            body, watchdog, start + timeout.toNanos(), speaks.maxEventBytes(maxBytes), memory);
    List<SseFraming.Event> preamble = List.of();
    try {
      if (!isEventStream(response)) {
        // An error status, or an upstream that ignored "stream": read like any body, capped.
        byte[] whole = stream.readAll(maxBytes, memory);
        stream.close();
        return WideText.utf8(response.statusCode(), response.headers(), whole, memory);
      }
      while (true) {
        SseFraming.Event first = stream.next();
        while (first != null && first.isCommentOnly()) {
          first = stream.next(); // an upstream's own keepalive is not the first real event
        }
        if (first == null) {
          stream.close();
          return new Failed(FailureType.BROKEN, "the stream ended before its first event");
        }
        if (!isJsonData(first)) {
          stream.close();
          return new Failed(FailureType.BROKEN, "the stream's first event is not JSON");
        }
        Completed error = firstEventError(speaks, first, response.headers());
        if (error != null) {
          stream.close();
          return error;
        }
        if (holdOpening && preamble.size() < MAX_PREAMBLE && speaks.isPreamble(first)) {
          preamble = preamble.isEmpty() ? new ArrayList<>(2) : preamble;
          preamble.add(first); // nothing a client could miss: the commit waits for more
          stream.opened(idleTimeout, requestDeadlineNanos);
          continue;
        }
        stream.useIdleTimeout(idleTimeout);
        return new Streaming(
            response.statusCode(),
            response.headers(),
            preamble,
            first,
            stream,
            System.nanoTime() - start);
      }
    } catch (IOException e) {
      stream.close();
      if (stream.timedOut()) {
        return new Failed(
            FailureType.TIMEOUT,
            preamble.isEmpty()
                ? "no first event within " + timeout.toMillis() + " ms"
                : "no event after its opening ones, "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms after the request was sent");
      }
      return TransportFailures.of(e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closing to abort
    }
  }

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
