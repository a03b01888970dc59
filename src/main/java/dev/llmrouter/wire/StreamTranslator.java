package dev.llmrouter.wire;

import java.util.List;

/**
 * Translates one stream, event by event as the events arrive (never buffered to the end): the
 * provider's events in, the client's events out. Single use, one thread at a time.
 */
public interface StreamTranslator {

  /**
   * The client's events for one event of the provider, in order: none (a provider event the client
   * has no counterpart for, such as Anthropic's {@code ping}), one, or several (the provider's
   * final event becomes the client's closing events, e.g. OpenAI's finish chunk, usage chunk and
   * {@code [DONE]}). A provider error event becomes the client's own error event.
   */
  List<SseFraming.Event> translate(SseFraming.Event providerEvent);

  /**
   * Whether the last {@link #translate} ended the client's stream with an error event of its own: a
   * provider event that could not be read, or an error the relay's own check does not see. The
   * relay stops there, as after a provider error event: the client has its one error, and the
   * upstream is not read (and billed) any further.
   */
  boolean failed();

  /**
   * Whether the client's stream is over: its closing events, or its error, went out. The relay ends
   * there, whether or not it knows the provider event that ended it for the provider's last (a
   * {@code message_stop} without an {@code event:} line, say): the client has its whole answer, and
   * an upstream that then closes, or keeps its connection open, must not turn it into an error.
   */
  boolean ended();

  /**
   * Whether an event is for the log only: its {@code raw} is empty, so nothing reaches the client
   * (the usage an OpenAI client did not ask for, which the log still records).
   */
  static boolean logOnly(SseFraming.Event event) {
    return event.raw().length == 0;
  }
}
