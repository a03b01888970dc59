package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import tools.jackson.core.JacksonException;

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
   * Events up to this size are read without asking the memory budget for room. Chat and Messages
   * events are bytes to kilobytes (an Anthropic signature delta or a large tool-call argument chunk
   * stays well under this); a Responses API stream's {@code response.completed} repeats the whole
   * response, and an {@code image_generation} tool's images come as base64 PNGs of 1-3 MB.
   */
  public static final int FREE_EVENT_BYTES = 1024 * 1024;

  /**
   * An upstream event (or line) passed the reader's limit, or found no room in the memory budget:
   * the stream is broken (or hostile), and must not fill the heap.
   */
  public static final class EventTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    EventTooLarge(String message) {
      super(message);
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

    /**
     * Whether this is the event of {@code type}: by its name, or, for an upstream that sends {@code
     * data:} lines only (some compatible servers), by its data's {@code type}. A named event is
     * never parsed; an unnamed one only when its data mentions the type.
     */
    public boolean is(String type) {
      if (name != null) {
        return name.equals(type);
      }
      if (data == null || !data.contains('"' + type + '"')) {
        return false;
      }
      try {
        return type.equals(Json.MAPPER.readTree(data).path("type").asString(""));
      } catch (JacksonException e) {
        return false;
      }
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

  /**
   * Reads whole events from a stream; not thread-safe (one reader per stream). Lines are found by
   * scanning the read buffer and copied in bulk: an event costs a few array copies, not a call per
   * byte, which matters for the large events of tool-call arguments and for endless streams.
   */
  public static final class Reader {
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private boolean eof;

    /** The last line ended with CR at the end of the buffer: a LF that follows belongs to it. */
    private boolean previousWasCr;

    private boolean partial;
    private boolean started;
    private final long maxEventBytes;
    private final LongPredicate reserve;
    private final LongConsumer release;

    /** A reader of events up to {@link #FREE_EVENT_BYTES}. */
    public Reader(InputStream in) {
      this(in, FREE_EVENT_BYTES, n -> false, n -> {});
    }

    /**
     * A reader of events up to {@code maxEventBytes}; the bytes of one past {@link
     * #FREE_EVENT_BYTES} are reserved with {@code reserve} while it is read (false: no room, the
     * stream is broken) and given back with {@code release} once it is whole.
     */
    public Reader(InputStream in, long maxEventBytes, LongPredicate reserve, LongConsumer release) {
      this.in = in;
      this.maxEventBytes = maxEventBytes;
      this.reserve = reserve;
      this.release = release;
    }

    /**
     * The next complete event, or null at the end of the stream. A last event with data whose lines
     * all ended but whose blank line never came is dispatched at the end, its blank line added in
     * the terminator its lines use: the spec drops it, but openai-node dispatches it (its fix for
     * gateways that close right after the last field, openai-node 2725), so an upstream that the
     * SDK reads whole directly is read whole through the router. A line cut off by the end, or an
     * event cut before its data ({@code event: message_stop} and the end), is no event; {@link
     * #hasPartialEvent()} tells.
     *
     * @throws EventTooLarge when an event (or a line) passes the limit or finds no room
     */
    public Event next() throws IOException {
      RawEvent raw = new RawEvent(maxEventBytes, reserve);
      try {
        return next(raw);
      } finally {
        if (raw.reserved > 0) {
          release.accept(raw.reserved);
        }
      }
    }

    private Event next(RawEvent raw) throws IOException {
      String name = null;
      StringBuilder data = null;
      int lines = 0;
      partial = false;
      while (true) {
        int start = raw.size();
        int terminator = readLine(raw);
        if (terminator < 0) {
          if (data != null && raw.size() == start) {
            raw.endEvent();
            return new Event(raw.toByteArray(), name, data == null ? null : data.toString());
          }
          partial = lines > 0 || raw.size() > start;
          return null;
        }
        if (terminator == 0) {
          continue; // the LF of the previous line's CRLF, which arrived late
        }
        int length = raw.size() - start - terminator;
        if (length == 0) {
          if (lines == 0) {
            raw.reset(); // blank lines between events dispatch nothing
            continue;
          }
          return new Event(raw.toByteArray(), name, data == null ? null : data.toString());
        }
        lines++;
        byte[] line = raw.buffer();
        if (line[start] == ':') {
          continue; // a comment
        }
        int colon = indexOf(line, start, start + length, (byte) ':');
        int fieldEnd = colon < 0 ? start + length : colon;
        int valueStart = colon < 0 ? fieldEnd : colon + 1;
        if (valueStart < start + length && line[valueStart] == ' ') {
          valueStart++;
        }
        String value =
            new String(line, valueStart, start + length - valueStart, StandardCharsets.UTF_8);
        if (is(line, start, fieldEnd, EVENT)) {
          name = value;
        } else if (is(line, start, fieldEnd, DATA)) {
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
        // id, retry and unknown fields stay in the raw bytes and mean nothing to the router.
      }
    }

    /** Whether the stream ended in the middle of an event. */
    public boolean hasPartialEvent() {
      return partial;
    }

    /**
     * Appends one line and its terminator (LF, CR or CRLF) to {@code raw}.
     *
     * @return the terminator's length; 0 when only the late LF of the previous line's CRLF was
     *     appended; -1 at the end of the stream (a partial line is appended)
     */
    private int readLine(RawEvent raw) throws IOException {
      while (true) {
        if (pos == limit && !fill()) {
          return -1;
        }
        if (previousWasCr) {
          previousWasCr = false;
          if (buf[pos] == '\n') {
            // The LF of a CRLF split across reads: relayed with what follows, which is harmless
            // (a blank line dispatches nothing) and keeps the bytes exact.
            raw.add(buf, pos++, 1);
            return 0;
          }
        }
        for (int i = pos; i < limit; i++) {
          byte b = buf[i];
          if (b == '\n' || b == '\r') {
            raw.add(buf, pos, i + 1 - pos);
            pos = i + 1;
            if (b == '\n') {
              return 1;
            }
            if (pos < limit) {
              if (buf[pos] == '\n') {
                raw.add(buf, pos++, 1);
                return 2;
              }
              return 1;
            }
            // The LF, if one comes, is not here yet; waiting for it could hold a complete event.
            previousWasCr = true;
            return 1;
          }
        }
        raw.add(buf, pos, limit - pos);
        pos = limit;
      }
    }

    private boolean fill() throws IOException {
      if (eof) {
        return false;
      }
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        eof = true;
        return false;
      }
      pos = 0;
      limit = n;
      if (!started) {
        started = true;
        skipByteOrderMark();
      }
      return pos < limit || fill();
    }

    /**
     * The spec strips one UTF-8 byte order mark at the start of the stream: read as part of the
     * first field's name, it would make {@code data:} an unknown field and drop the first event (an
     * OpenAI chunk with the role). It may come split over reads.
     */
    private void skipByteOrderMark() throws IOException {
      while (limit < BOM.length && Arrays.equals(buf, 0, limit, BOM, 0, limit)) {
        int n = in.read(buf, limit, buf.length - limit);
        if (n <= 0) {
          eof = true;
          break;
        }
        limit += n;
      }
      if (limit >= BOM.length && Arrays.equals(buf, 0, BOM.length, BOM, 0, BOM.length)) {
        pos = BOM.length;
      }
    }
  }

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);

  private static boolean is(byte[] line, int from, int to, byte[] word) {
    return to - from == word.length && Arrays.equals(line, from, to, word, 0, word.length);
  }

  private static int indexOf(byte[] line, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (line[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** The bytes of the event being read, capped, read in place. */
  private static final class RawEvent extends ByteArrayOutputStream {
    private final long max;
    private final LongPredicate reserve;
    long reserved;

    RawEvent(long max, LongPredicate reserve) {
      super(256);
      this.max = max;
      this.reserve = reserve;
    }

    byte[] buffer() {
      return buf;
    }

    void add(byte[] b, int off, int len) throws EventTooLarge {
      long size = (long) count + len;
      if (size > max) {
        throw new EventTooLarge("an upstream event exceeds " + max + " bytes");
      }
      // The array doubles as it grows, and the event is copied out once whole: twice its size.
      long need = size <= FREE_EVENT_BYTES ? 0 : 2 * (size - FREE_EVENT_BYTES) - reserved;
      if (need > 0) {
        if (!reserve.test(need)) {
          throw new EventTooLarge(
              "an upstream event of " + size + " bytes finds no room in server.max_buffered_bytes");
        }
        reserved += need;
      }
      write(b, off, len);
    }

    /** The blank line after the last line, in that line's own terminator (LF, CRLF or CR). */
    void endEvent() throws EventTooLarge {
      boolean crlf = count >= 2 && buf[count - 2] == '\r' && buf[count - 1] == '\n';
      byte[] end = crlf ? CRLF : buf[count - 1] == '\r' ? CR : LF;
      add(end, 0, end.length);
    }
  }

  private static final byte[] LF = {'\n'};
  private static final byte[] CR = {'\r'};
  private static final byte[] CRLF = {'\r', '\n'};
}
