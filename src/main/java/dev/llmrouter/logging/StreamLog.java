package dev.llmrouter.logging;

/**
 * What the log says about a relayed stream, beyond the request record.
 *
 * @param firstEventMicros from the start of the answering attempt to its first event
 * @param assembler what the relayed events said, assembled as they went by
 * @param completed whether the protocol's final event was relayed
 * @param end how it ended
 * @param errorStatus for an upstream's error event ({@link StreamEnd#UPSTREAM_ERROR}), the status
 *     the same error has outside a stream; 0 when it has none (or the stream ended otherwise)
 */
public record StreamLog(
    long firstEventMicros,
    StreamAssembler assembler,
    boolean completed,
    StreamEnd end,
    int errorStatus) {}
