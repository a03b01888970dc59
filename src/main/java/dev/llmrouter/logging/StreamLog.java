package dev.llmrouter.logging;

/**
 * What the log says about a relayed stream, beyond the request record.
 *
 * @param firstEventMicros from the start of the answering attempt to its first event
 * @param assembler what the relayed events said, assembled as they went by
 * @param completed whether the protocol's final event was relayed
 * @param end how it ended
 */
public record StreamLog(
    long firstEventMicros, StreamAssembler assembler, boolean completed, StreamEnd end) {}
