package dev.llmrouter.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one home of SSE framing (WHATWG "event stream interpretation", PROTOCOLS.md 3): splitting an
 * upstream byte stream into whole events without cutting or merging them, and framing the few
 * events the router writes itself. Events are relayed as the exact bytes the upstream sent.
 */
public final class SseFraming {

  /**
   * A keepalive comment block, in two parts (its comment line, then the blank line that ends it).
   * Every SSE client ignores comments; writing one proves the client is still there.
   */
  public static final byte[] KEEPALIVE_COMMENT =
      ": keepalive\n".getBytes(StandardCharsets.US_ASCII);

  public static final byte[] KEEPALIVE_END = "\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * Largest event (and so line) accepted from an upstream. Real events are bytes to kilobytes (an
   * Anthropic signature delta or a large tool-call argument chunk stays well under this); a stream
   * that sends more without a blank line is broken or hostile, and must not fill the heap.
   */
  public static final int MAX_EVENT_BYTES = 1024 * 1024;

  /** An upstream event (or line) passed {@link #MAX_EVENT_BYTES}: the stream is broken. */
  public static final class EventTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    EventTooLarge() {
      super("an upstream event exceeds " + MAX_EVENT_BYTES + " bytes");
    }
  }

  private SseFraming() {}

  /**
   * One complete event.
   *
   * @param raw the exact bytes, up to and including the blank line that dispatched it
   * @param name the {@code event:} field, or null when absent
   * @param data the {@code data:} lines joined with newlines, or null when there were none
   */
  @SuppressWarnings("ArrayRecordComponent") // relayed as they are; never mutated
  public record Event(byte[] raw, String name, String data) {
    /** Comment-only blocks carry no event for a client (e.g. an upstream's own keepalive). */
    public boolean isCommentOnly() {
      return name == null && data == null;
    }
  }

  /** A router-made event in SSE framing. */
  public static byte[] event(String name, String data) {
    StringBuilder b = new StringBuilder(data.length() + 32);
    if (name != null) {
      b.append("event: ").append(name).append('\n');
    }
    b.append("data: ").append(data).append("\n\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads whole events from a stream; not thread-safe (one reader per stream). */
  public static final class Reader {
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private boolean eof;
    private boolean previousWasCr;

    public Reader(InputStream in) {
      this.in = in;
    }

    /**
     * The next complete event, or null at the end of the stream. A trailing event without its blank
     * line is dropped at the end, as the spec says; {@link #hasPartialEvent()} tells.
     */
    public Event next() throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream(256);
      ByteArrayOutputStream line = new ByteArrayOutputStream(128);
      String name = null;
      StringBuilder data = null;
      int lines = 0;
      partial = false;
      while (true) {
        int b = read();
        if (b < 0) {
          partial = lines > 0 || line.size() > 0;
          return null;
        }
        raw.write(b);
        if (raw.size() > MAX_EVENT_BYTES) {
          throw new EventTooLarge();
        }
        if (b == '\n' && previousWasCr) {
          previousWasCr = false; // the LF of a CRLF: the line already ended at the CR
          continue;
        }
        previousWasCr = b == '\r';
        if (b != '\n' && b != '\r') {
          line.write(b);
          continue;
        }
        if (line.size() == 0) {
          if (lines == 0) {
            raw.reset(); // blank lines between events dispatch nothing
            continue;
          }
          if (previousWasCr) {
            peekLineFeed(raw); // keep a CRLF's LF with the event it ends, when already here
          }
          return new Event(raw.toByteArray(), name, data == null ? null : data.toString());
        }
        lines++;
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        int colon = text.indexOf(':');
        if (colon == 0) {
          continue; // a comment
        }
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        if (field.equals("event")) {
          name = value;
        } else if (field.equals("data")) {
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
        // id, retry and unknown fields stay in the raw bytes and mean nothing to the router.
      }
    }

    private boolean partial;

    /** Whether the stream ended in the middle of an event. */
    public boolean hasPartialEvent() {
      return partial;
    }

    private void peekLineFeed(ByteArrayOutputStream raw) {
      if (pos < limit && buf[pos] == '\n') {
        raw.write('\n');
        pos++;
        previousWasCr = false;
      }
    }

    private int read() throws IOException {
      if (pos == limit) {
        if (eof) {
          return -1;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
          eof = true;
          return -1;
        }
        pos = 0;
        limit = n;
      }
      return buf[pos++] & 0xff;
    }
  }
}
