package dev.llmrouter.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Finds secrets in UTF-8 text whatever escapes spell them: every character of a secret may stand
 * literally, as a JSON escape (<code>&#92;u0073</code>, {@code \/}, {@code \\}) or percent-encoded
 * ({@code %73}). JSON parsers and URL decoders read all of these as the key itself, so a scan of
 * the raw bytes alone would let a provider's escaped echo (or a client's escaped gateway key)
 * through.
 *
 * <p>One pass over the bytes: only a byte that can start a secret (its first byte, a backslash or a
 * percent sign) is looked at further. A match never starts inside an escape, so the replacement
 * never leaves half an escape behind and JSON stays valid. Immutable; built once per set of
 * secrets.
 */
final class SecretScanner {

  private static final byte[] REDACTED = Redactor.REDACTED.getBytes(StandardCharsets.US_ASCII);

  /** Longest first. */
  private final byte[][] secrets;

  /** Bytes at which a match may start. */
  private final boolean[] starts = new boolean[256];

  /**
   * The secrets by their first byte, longest first: a literal byte in the text is compared with
   * those alone. Twenty keys that all start with {@code sk-} would otherwise each be tried at every
   * {@code s} of every body and log line.
   */
  private final byte[][][] byFirst = new byte[256][][];

  /**
   * Which two literal bytes can open a secret (bit {@code first << 8 | second}): most text that
   * shares a secret's first byte is passed over after one more byte.
   */
  private final long[] pairs = new long[65536 / 64];

  SecretScanner(List<String> longestFirst) {
    secrets = new byte[longestFirst.size()][];
    List<List<byte[]>> grouped = new java.util.ArrayList<>();
    for (int b = 0; b < 256; b++) {
      grouped.add(new java.util.ArrayList<>());
    }
    for (int i = 0; i < secrets.length; i++) {
      byte[] secret = longestFirst.get(i).getBytes(StandardCharsets.UTF_8);
      secrets[i] = secret;
      int first = secret[0] & 0xff;
      starts[first] = true;
      grouped.get(first).add(secret);
      for (int second = 0; second < 256; second++) {
        // A one-byte secret matches whatever follows; otherwise its second byte may still come
        // as an escape, which the pair test never rules out (it looks at literal bytes only).
        if (secret.length == 1 || second == (secret[1] & 0xff)) {
          pairs[(first << 8 | second) >>> 6] |= 1L << (second & 63);
        }
      }
    }
    for (int b = 0; b < 256; b++) {
      byFirst[b] = grouped.get(b).toArray(new byte[0][]);
    }
    if (secrets.length > 0) {
      starts['\\'] = true;
      starts['%'] = true;
    }
  }

  /**
   * The text with every match replaced; the same array when there is none. The result is sized
   * exactly before it is filled: a 60 MB error body costs one more array, not a growing buffer and
   * a copy of it.
   */
  byte[] redact(byte[] text) {
    if (secrets.length == 0 || firstMatch(text, text.length) < 0) {
      return text;
    }
    Sized out = new Sized();
    try {
      redactTo(text, text.length, out); // counts
      out.allocate();
      redactTo(text, text.length, out); // fills
    } catch (IOException e) {
      throw new UncheckedIOException(e); // memory to memory: does not happen
    }
    return out.bytes;
  }

  /** First counts what is written, then, once allocated, fills an array of exactly that size. */
  private static final class Sized extends OutputStream {
    private long count;
    private byte[] bytes;
    private int at;

    void allocate() {
      bytes = new byte[Math.toIntExact(count)];
    }

    @Override
    public void write(int b) {
      if (bytes == null) {
        count++;
      } else {
        bytes[at++] = (byte) b;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (bytes == null) {
        count += len;
      } else {
        System.arraycopy(b, off, bytes, at, len);
        at += len;
      }
    }
  }

  /** Writes {@code text[0, length)} to {@code out} with every match replaced, without a copy. */
  void redactTo(byte[] text, int length, OutputStream out) throws IOException {
    int copied = 0;
    int i = secrets.length == 0 ? length : skip(text, 0, length);
    while (i < length) {
      int end = matchHere(text, i, length);
      if (end > 0) {
        out.write(text, copied, i - copied);
        out.write(REDACTED);
        copied = end;
        i = skip(text, end, length);
      } else {
        i = skip(text, i + unitLength(text, i, length), length);
      }
    }
    out.write(text, copied, length - copied);
  }

  /**
   * The first byte at or after {@code i} that can start a match, or {@code length}. Most of a body
   * is passed over here, in a loop the JIT keeps to a load and a table test per byte: an 8 KB
   * embeddings answer is scanned twice per request (the answer relayed, then its log line).
   */
  private int skip(byte[] text, int i, int length) {
    boolean[] table = starts;
    while (i < length && !table[text[i] & 0xff]) {
      i++;
    }
    return i;
  }

  /** Where the first match starts, or -1. */
  private int firstMatch(byte[] text, int length) {
    int i = skip(text, 0, length);
    while (i < length) {
      if (matchHere(text, i, length) > 0) {
        return i;
      }
      i = skip(text, i + unitLength(text, i, length), length);
    }
    return -1;
  }

  /**
   * The end of a match that starts at {@code at}, or -1: a secret spelled from there, or one
   * spelled from the next byte after a backslash, which then goes with it. In JSON a backslash
   * starts an escape, and a match never starts inside one; in other text it is a backslash ({@code
   * C:\sk-...} in a plain-text error), and a key right after it must not be passed over. Taking the
   * backslash along keeps JSON valid either way.
   */
  private int matchHere(byte[] text, int at, int length) {
    int end = matchAt(text, at, length);
    if (end < 0 && text[at] == '\\' && at + 1 < length && starts[text[at + 1] & 0xff]) {
      end = matchAt(text, at + 1, length);
    }
    return end;
  }

  /** The end of the first (longest) secret spelled at {@code at}, or -1. */
  private int matchAt(byte[] text, int at, int length) {
    int first = text[at] & 0xff;
    if (first != '\\' && first != '%') {
      // A literal first byte: only the secrets that start with it, and only when the next byte
      // (if literal) can follow it in one of them.
      if (at + 1 < length) {
        int second = text[at + 1] & 0xff;
        if (second != '\\'
            && second != '%'
            && (pairs[(first << 8 | second) >>> 6] & (1L << (second & 63))) == 0) {
          return -1;
        }
      }
      for (byte[] secret : byFirst[first]) {
        int end = match(text, at, length, secret);
        if (end > 0) {
          return end;
        }
      }
      return -1;
    }
    for (byte[] secret : secrets) { // an escape may spell any first byte
      int end = match(text, at, length, secret);
      if (end > 0) {
        return end;
      }
    }
    return -1;
  }

  private static int match(byte[] text, int at, int length, byte[] secret) {
    int j = at;
    int k = 0;
    while (k < secret.length) {
      if (j >= length) {
        return -1;
      }
      byte c = text[j];
      int taken =
          c == '\\'
              ? escaped(text, j, length, secret, k)
              : c == '%' ? percent(text, j, length, secret, k) : 0;
      if (taken > 0) {
        j += taken & 0xffff;
        k += taken >>> 16;
        continue;
      }
      if (c != secret[k]) {
        return -1;
      }
      j++;
      k++;
    }
    return j;
  }

  /**
   * A JSON escape at {@code j} that spells {@code secret[k..]}: packed (secret bytes matched << 16
   * | text bytes used), or 0 when it does not (the backslash is then compared literally).
   */
  private static int escaped(byte[] text, int j, int length, byte[] secret, int k) {
    if (j + 1 >= length) {
      return 0;
    }
    byte e = text[j + 1];
    if (e == 'u') {
      int code = hex(text, j + 2, 4, length);
      if (code < 0) {
        return 0;
      }
      byte[] utf8 = utf8(code);
      if (utf8 == null || k + utf8.length > secret.length) {
        return 0;
      }
      for (int i = 0; i < utf8.length; i++) {
        if (secret[k + i] != utf8[i]) {
          return 0;
        }
      }
      return (utf8.length << 16) | 6;
    }
    int simple =
        switch (e) {
          case '"', '\\', '/' -> e;
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          default -> -1;
        };
    return simple >= 0 && secret[k] == simple ? (1 << 16) | 2 : 0;
  }

  /** A percent escape at {@code j} that spells {@code secret[k]}: packed as in escaped, or 0. */
  private static int percent(byte[] text, int j, int length, byte[] secret, int k) {
    int value = hex(text, j + 1, 2, length);
    return value >= 0 && (byte) value == secret[k] ? (1 << 16) | 3 : 0;
  }

  /**
   * How many bytes to step over: a whole JSON escape at once, so that no match starts inside it
   * (matchHere looks right after its backslash). A percent escape is stepped into: it means nothing
   * to JSON, and a literal key may follow a {@code %} that looks like one ({@code 100%ab12cd...}).
   */
  private static int unitLength(byte[] text, int i, int length) {
    if (text[i] == '\\' && i + 1 < length) {
      return text[i + 1] == 'u' && hex(text, i + 2, 4, length) >= 0 ? 6 : 2;
    }
    return 1;
  }

  private static int hex(byte[] text, int from, int digits, int length) {
    if (from + digits > length) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < from + digits; i++) {
      int d = Character.digit(text[i], 16);
      if (d < 0) {
        return -1;
      }
      value = value << 4 | d;
    }
    return value;
  }

  /** The UTF-8 bytes of one BMP character; null for a lone surrogate half. */
  private static byte[] utf8(int code) {
    if (code >= 0xd800 && code <= 0xdfff) {
      return null;
    }
    return String.valueOf((char) code).getBytes(StandardCharsets.UTF_8);
  }
}
