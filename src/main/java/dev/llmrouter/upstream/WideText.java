package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A provider's whole body in UTF-16 or UTF-32, as UTF-8. JSON parsers read the wide encodings (RFC
 * 8259 asks for UTF-8 between systems, RFC 4627 named all three), but everything the router does
 * with a body assumes UTF-8: the scan for keys (a key spelt {@code s\0k\0-\0} passes it), the error
 * detail it quotes, the log line. So the body is converted once, where it arrives, and its {@code
 * Content-Type} says UTF-8 from then on.
 */
final class WideText {

  private WideText() {}

  /**
   * {@code body} as UTF-8 when it is in a wide encoding, its {@code charset} parameter rewritten;
   * the same response otherwise. The growth of a wide text that gets longer in UTF-8 (CJK text in
   * UTF-16) is reserved in {@code memory}; without room, the text is left out, with a note.
   */
  static UpstreamOutcome.Completed utf8(
      int status, HttpHeaders headers, byte[] body, MemoryBudget.Ledger memory) {
    Charset wide = encoding(body);
    if (wide == null) {
      return new UpstreamOutcome.Completed(status, headers, body);
    }
    int bom = bomLength(body);
    byte[] utf8 = new String(body, bom, body.length - bom, wide).getBytes(StandardCharsets.UTF_8);
    if (utf8.length > body.length && !memory.reserve(utf8.length - body.length)) {
      utf8 =
          ("(a body of " + body.length + " bytes in " + wide.name() + ", left out by the router)")
              .getBytes(StandardCharsets.UTF_8);
    }
    return new UpstreamOutcome.Completed(status, utf8Headers(headers), utf8);
  }

  /**
   * The wide encoding {@code body} is in, by its byte-order mark or, without one, by where the zero
   * bytes of its first (ASCII) characters fall (RFC 4627, section 3); null for UTF-8 and anything
   * else. JSON and the text of an error page start with an ASCII character.
   */
  static Charset encoding(byte[] b) {
    if (b.length < 2) {
      return null;
    }
    if (b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] != 0 || b[3] != 0)) {
      return Charset.forName("UTF-32BE");
    }
    if (b.length >= 4
        && b[2] == 0
        && b[3] == 0
        && ((b[0] != 0 && b[1] == 0) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE))) {
      return Charset.forName("UTF-32LE");
    }
    if ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == 0 && b[1] != 0)) {
      return StandardCharsets.UTF_16BE;
    }
    if ((b[0] == (byte) 0xFF && b[1] == (byte) 0xFE) || (b[0] != 0 && b[1] == 0)) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  private static int bomLength(byte[] b) {
    if (b.length >= 4
        && ((b[0] == 0 && b[1] == 0 && b[2] == (byte) 0xFE && b[3] == (byte) 0xFF)
            || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE && b[2] == 0 && b[3] == 0))) {
      return 4;
    }
    return (b[0] == (byte) 0xFE && b[1] == (byte) 0xFF)
            || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE)
        ? 2
        : 0;
  }

  /** The headers with {@code Content-Type}'s charset, if it named one, set to UTF-8. */
  private static HttpHeaders utf8Headers(HttpHeaders headers) {
    String type = headers.firstValue("content-type").orElse(null);
    if (type == null || !type.toLowerCase(Locale.ROOT).contains("charset")) {
      return headers;
    }
    int semi = type.indexOf(';');
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    map.putAll(headers.map());
    map.put(
        "content-type",
        List.of(type.substring(0, semi < 0 ? type.length() : semi).strip() + "; charset=utf-8"));
    return HttpHeaders.of(map, (a, b) -> true);
  }
}
