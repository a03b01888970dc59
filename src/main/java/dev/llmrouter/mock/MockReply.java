package dev.llmrouter.mock;

import java.util.List;

/** What the mock answers to one request, built without I/O; {@link MockProvider} writes it. */
sealed interface MockReply {

  /** A complete JSON body with its status. */
  @SuppressWarnings("ArrayRecordComponent") // written as it is; never mutated
  record Complete(int status, byte[] body) implements MockReply {}

  /** A 200 {@code text/event-stream}, each element one complete event. */
  record Stream(List<byte[]> events) implements MockReply {}

  static MockReply ok(byte[] body) {
    return new Complete(200, body);
  }
}
