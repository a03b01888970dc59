package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SseFramingTest {

  private static List<SseFraming.Event> all(InputStream in) throws IOException {
    SseFraming.Reader reader = new SseFraming.Reader(in);
    List<SseFraming.Event> events = new ArrayList<>();
    SseFraming.Event e;
    while ((e = reader.next()) != null) {
      events.add(e);
    }
    return events;
  }

  private static List<SseFraming.Event> all(String text) throws IOException {
    return all(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Hands out one byte per read: every line and terminator is split across reads. */
  private static InputStream trickle(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new InputStream() {
      int next;

      @Override
      public int read() {
        return next < bytes.length ? bytes[next++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (next >= bytes.length) {
          return -1;
        }
        b[off] = bytes[next++];
        return 1;
      }
    };
  }

  private static String raw(SseFraming.Event e) {
    return new String(e.raw(), StandardCharsets.UTF_8);
  }

  @Test
  void anthropicEventsKeepTheirNamesDataAndExactBytes() throws IOException {
    String text =
        """
        event: message_start
        data: {"type":"message_start"}

        event: ping
        data: {"type": "ping"}

        """;

    List<SseFraming.Event> events = all(text);

    assertThat(events).hasSize(2);
    assertThat(events.get(0).name()).isEqualTo("message_start");
    assertThat(events.get(0).data()).isEqualTo("{\"type\":\"message_start\"}");
    assertThat(raw(events.get(0)) + raw(events.get(1))).isEqualTo(text);
  }

  @Test
  void everyLineEndingFramesTheSameEventsWholeOrTrickled() throws IOException {
    for (String eol : List.of("\n", "\r\n", "\r")) {
      String text =
          "data: one"
              + eol
              + "data: two"
              + eol
              + eol
              + ": comment"
              + eol
              + eol
              + "data: [DONE]"
              + eol
              + eol;
      List<SseFraming.Event> whole = all(text);
      for (List<SseFraming.Event> events : List.of(whole, all(trickle(text)))) {
        assertThat(events)
            .extracting(SseFraming.Event::data)
            .containsExactly("one\ntwo", null, "[DONE]");
        assertThat(events.get(1).isCommentOnly()).isTrue();
      }
      // Relayed byte for byte (trickled, a CRLF's late LF travels with the next event instead).
      assertThat(String.join("", whole.stream().map(SseFramingTest::raw).toList())).isEqualTo(text);
    }
  }

  @Test
  void oneByteOrderMarkAtTheStartIsDroppedWholeOrTrickled() throws IOException {
    String text = "\uFEFFdata: {\"role\":\"assistant\"}\n\ndata: \uFEFFsecond\n\n";
    for (List<SseFraming.Event> events : List.of(all(text), all(trickle(text)))) {
      assertThat(events)
          .extracting(SseFraming.Event::data)
          .containsExactly("{\"role\":\"assistant\"}", "\uFEFFsecond"); // only the stream's first
      assertThat(raw(events.getFirst())).isEqualTo("data: {\"role\":\"assistant\"}\n\n");
    }
    // Bytes that only begin like one are kept, however the stream ends.
    assertThat(all(new ByteArrayInputStream(new byte[] {(byte) 0xEF, 'd', '\n', '\n'})))
        .singleElement()
        .satisfies(e -> assertThat(e.raw()).hasSize(4));
    assertThat(all(new ByteArrayInputStream(new byte[] {(byte) 0xEF, (byte) 0xBB}))).isEmpty();
  }

  @Test
  void fieldsWithoutAColonOrASpaceAndUnknownFieldsAreReadAsTheSpecSays() throws IOException {
    List<SseFraming.Event> events = all("data\ndata:x\nid: 7\nretry: 10\nfoo: bar\n\n");

    assertThat(events).hasSize(1);
    assertThat(events.get(0).data()).isEqualTo("\nx");
    assertThat(events.get(0).name()).isNull();
  }

  @Test
  void aTrailingLineCutOffByTheEndIsNoEvent() throws IOException {
    SseFraming.Reader reader =
        new SseFraming.Reader(
            new ByteArrayInputStream("data: a\n\ndata: cut".getBytes(StandardCharsets.UTF_8)));

    assertThat(reader.next().data()).isEqualTo("a");
    assertThat(reader.next()).isNull();
    assertThat(reader.hasPartialEvent()).isTrue();
  }

  @Test
  void anEventCutBeforeItsDataIsNoEvent() throws IOException {
    SseFraming.Reader reader =
        new SseFraming.Reader(
            new ByteArrayInputStream(
                "data: a\n\nevent: message_stop\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(reader.next().data()).isEqualTo("a");
    assertThat(reader.next()).isNull();
    assertThat(reader.hasPartialEvent()).isTrue();
  }

  /** openai-node dispatches it (openai-node 2725): gateways close right after the last field. */
  @Test
  void aLastEventWhoseLinesEndedButWhoseBlankLineNeverCameIsDispatchedWhole() throws IOException {
    for (String eol : new String[] {"\n", "\r\n", "\r"}) {
      String last = "event: response.completed" + eol + "data: {\"x\":1}" + eol;
      SseFraming.Reader reader =
          new SseFraming.Reader(
              new ByteArrayInputStream(
                  ("data: a" + eol + eol + last).getBytes(StandardCharsets.UTF_8)));

      assertThat(reader.next().data()).isEqualTo("a");
      SseFraming.Event event = reader.next();
      assertThat(event.name()).isEqualTo("response.completed");
      assertThat(event.data()).isEqualTo("{\"x\":1}");
      assertThat(new String(event.raw(), StandardCharsets.UTF_8)).isEqualTo(last + eol);
      assertThat(reader.next()).isNull();
      assertThat(reader.hasPartialEvent()).isFalse();
    }
  }

  @Test
  void anEventOrALineOverTheLimitIsRefused() {
    String line = "data: " + "x".repeat(SseFraming.FREE_EVENT_BYTES) + "\n\n";
    assertThatThrownBy(() -> all(line)).isInstanceOf(SseFraming.EventTooLarge.class);
    String many = "data: x\n".repeat(SseFraming.FREE_EVENT_BYTES / 8 + 1) + "\n";
    assertThatThrownBy(() -> all(many)).isInstanceOf(SseFraming.EventTooLarge.class);
  }

  @Test
  void anEventPastTheFreeSizeIsReadWithRoomFromTheBudgetAndGivesItBack() throws IOException {
    // A Responses API response.completed that repeats a 3 MB answer (an image, say).
    String big = "x".repeat(3 * 1024 * 1024);
    byte[] sse =
        ("event: response.completed\ndata: " + big + "\n\ndata: small\n\n")
            .getBytes(StandardCharsets.UTF_8);
    AtomicLong held = new AtomicLong();
    AtomicLong most = new AtomicLong();
    SseFraming.Reader reader =
        new SseFraming.Reader(
            new ByteArrayInputStream(sse),
            16L * 1024 * 1024,
            n -> most.accumulateAndGet(held.addAndGet(n), Math::max) > 0,
            n -> held.addAndGet(-n));

    assertThat(reader.next().data()).isEqualTo(big);
    assertThat(most.get())
        .isGreaterThanOrEqualTo(2L * (big.length() - SseFraming.FREE_EVENT_BYTES));
    assertThat(held.get()).as("given back once the event is whole").isZero();
    assertThat(reader.next().data()).isEqualTo("small");

    SseFraming.Reader noRoom =
        new SseFraming.Reader(
            new ByteArrayInputStream(sse), 16L * 1024 * 1024, n -> false, n -> {});
    assertThatThrownBy(noRoom::next)
        .isInstanceOf(SseFraming.EventTooLarge.class)
        .hasMessageContaining("max_buffered_bytes");
    SseFraming.Reader capped =
        new SseFraming.Reader(new ByteArrayInputStream(sse), 2L * 1024 * 1024, n -> true, n -> {});
    assertThatThrownBy(capped::next)
        .isInstanceOf(SseFraming.EventTooLarge.class)
        .hasMessageContaining("exceeds 2097152 bytes");
  }

  @Test
  void anEventIsOfATypeByItsNameOrWithoutOneByItsDatasTopLevelType() {
    String stop = "{\"type\":\"message_stop\"}";
    assertThat(new SseFraming.Event(new byte[0], "message_stop", stop).is("message_stop")).isTrue();
    assertThat(new SseFraming.Event(new byte[0], null, stop).is("message_stop")).isTrue();
    // A name decides, whatever the data says.
    assertThat(new SseFraming.Event(new byte[0], "ping", stop).is("message_stop")).isFalse();
    // The type only as text or nested: not this event's type.
    String delta =
        "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\","
            + "\"text\":\"\\\"message_stop\\\"\"}}";
    assertThat(new SseFraming.Event(new byte[0], null, delta).is("message_stop")).isFalse();
    String nested = "{\"type\":\"x\",\"inner\":{\"type\":\"message_stop\"}}";
    assertThat(new SseFraming.Event(new byte[0], null, nested).is("message_stop")).isFalse();
    assertThat(new SseFraming.Event(new byte[0], null, "\"message_stop\" junk").is("message_stop"))
        .isFalse();
    assertThat(new SseFraming.Event(new byte[0], null, null).is("message_stop")).isFalse();
  }
}
