package dev.llmrouter.logging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (RFC 3629): what a log line must hold to be JSON (RFC 8259 section 8.1). Jackson
 * checks less when it only skips over a string (the router's passes over a body that prove it is
 * JSON): an overlong form ({@code C0 80}), an encoded surrogate ({@code ED A0 80}) or a code point
 * past U+10FFFF passes them, and a body copied into the log as it came would carry it.
 */
final class Utf8 {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /** Whether {@code b} is well-formed UTF-8 throughout. */
  static boolean isWellFormed(byte[] b) {
    int n = b.length;
    int i = 0;
    while (i < n) {
      // ASCII, eight bytes at a time: most of every JSON body (an embedding's base64 all of it).
      while (i + 8 <= n && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
      }
      if (i >= n) {
        return true;
      }
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int length =
          c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
      if (length == 0 || i + length > n || !secondByteFits(c, b[i + 1] & 0xff)) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }

  /** RFC 3629 section 4: the lead bytes whose second byte range rules out overlongs and more. */
  private static boolean secondByteFits(int lead, int second) {
    return switch (lead) {
      case 0xE0 -> second >= 0xA0 && second <= 0xBF; // no overlong three-byte form
      case 0xED -> second >= 0x80 && second <= 0x9F; // no surrogate (U+D800..U+DFFF)
      case 0xF0 -> second >= 0x90 && second <= 0xBF; // no overlong four-byte form
      case 0xF4 -> second >= 0x80 && second <= 0x8F; // nothing past U+10FFFF
      default -> (second & 0xC0) == 0x80;
    };
  }
}
