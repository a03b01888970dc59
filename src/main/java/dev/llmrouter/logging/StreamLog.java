package dev.llmrouter.logging;

import dev.llmrouter.upstream.SseFraming;
import java.util.List;

/**
 * What the log says about a relayed stream, beyond the request record.
 *
 * @param firstEventMicros from the start of the answering attempt to its first event
 * @param events the events relayed to the client, in order (assembled on the writer thread)
 * @param completed whether the protocol's final event was relayed
 * @param end {@code completed}, {@code upstream_broken}, {@code idle_timeout} or {@code
 *     client_cancelled}
 */
public record StreamLog(
    long firstEventMicros, List<SseFraming.Event> events, boolean completed, String end) {}
