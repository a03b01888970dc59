package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.memory.MemoryBudget;
import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WideTextTest {

  private static final String JSON = "{\"error\":{\"message\":\"é 漢\"}}";

  private static HttpHeaders type(String value) {
    return HttpHeaders.of(Map.of("content-type", List.of(value)), (a, b) -> true);
  }

  @Test
  void everyWideEncodingWithOrWithoutItsMarkBecomesUtf8() {
    for (String name :
        List.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "UTF-16", "UTF-32")) {
      Charset cs = Charset.forName(name);
      // Java's "UTF-16" writes a big-endian mark; "UTF-32" none (big-endian).
      for (byte[] body : List.of(JSON.getBytes(cs), withMark(cs))) {
        UpstreamOutcome.Completed c =
            WideText.utf8(
                400,
                type("application/json; charset=" + name),
                body,
                new MemoryBudget(1 << 20).ledger());

        assertThat(new String(c.body(), StandardCharsets.UTF_8)).as(name).isEqualTo(JSON);
        assertThat(c.headers().firstValue("content-type"))
            .hasValue("application/json; charset=utf-8");
      }
    }
  }

  private static byte[] withMark(Charset cs) {
    String n = cs.name();
    if (n.equals("UTF-16") || n.equals("UTF-32")) {
      return JSON.getBytes(cs);
    }
    return ("\uFEFF" + JSON).getBytes(cs);
  }

  @Test
  void utf8AndTooShortBodiesAreLeftAsTheyAre() {
    byte[] utf8 = JSON.getBytes(StandardCharsets.UTF_8);
    HttpHeaders headers = type("application/json; charset=latin1");

    UpstreamOutcome.Completed c =
        WideText.utf8(200, headers, utf8, new MemoryBudget(1 << 20).ledger());

    assertThat(c.body()).isSameAs(utf8);
    assertThat(c.headers()).isSameAs(headers);
    assertThat(WideText.encoding(new byte[] {'{'})).isNull();
    assertThat(WideText.encoding(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{'})).isNull();
  }

  @Test
  void withoutRoomForTheLongerUtf8TheTextIsLeftOut() {
    // 2,002 bytes, 3,001 in UTF-8 (a body starts with an ASCII character: how it is recognised)
    byte[] cjk = ("{" + "漢".repeat(1000)).getBytes(StandardCharsets.UTF_16LE);
    MemoryBudget.Ledger full = new MemoryBudget(100).ledger();

    UpstreamOutcome.Completed c = WideText.utf8(500, type("text/plain"), cjk, full);

    assertThat(new String(c.body(), StandardCharsets.UTF_8))
        .isEqualTo("(a body of 2002 bytes in UTF-16LE, left out by the router)");
  }
}
