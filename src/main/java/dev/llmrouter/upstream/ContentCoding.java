package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes an upstream's {@code Content-Encoding}. The router asks for {@code identity}, but a
 * provider or a proxy in front of it may compress anyway; a compressed body passed on unread would
 * carry whatever key it holds past the secret scan, and its usage and errors past the router. So
 * gzip and deflate are decoded (within the same size limit as any body), and any other coding (br,
 * zstd...) makes the attempt broken rather than pass unscanned bytes.
 */
final class ContentCoding {

  private ContentCoding() {}

  /** The coding is one the router cannot decode. */
  static final class Unsupported extends IOException {
    private static final long serialVersionUID = 1L;

    Unsupported(String coding) {
      super("unsupported content-encoding " + coding);
    }
  }

  private enum Coding {
    IDENTITY,
    GZIP,
    DEFLATE
  }

  /** What the headers say; at most one real coding is accepted (nobody stacks them for JSON). */
  private static Coding of(HttpHeaders headers) throws Unsupported {
    Coding found = Coding.IDENTITY;
    for (String value : headers.allValues("content-encoding")) {
      for (String token : value.split(",", -1)) {
        String given = token.strip();
        Coding c =
            switch (given.toLowerCase(Locale.ROOT)) {
              case "", "identity" -> Coding.IDENTITY;
              case "gzip", "x-gzip" -> Coding.GZIP;
              case "deflate" -> Coding.DEFLATE;
              // Quoted as it came (the detail is redacted whole, then cut), unless it is long.
              default ->
                  throw new Unsupported(
                      given.length() > 40
                          ? "(a name of " + given.length() + " characters)"
                          : given);
            };
        if (c != Coding.IDENTITY) {
          if (found != Coding.IDENTITY) {
            throw new Unsupported("with more than one coding");
          }
          found = c;
        }
      }
    }
    return found;
  }

  /**
   * A whole body, decoded; the same array when it was not encoded.
   *
   * @throws CappedBody.TooLarge when it decodes to more than {@code limit} bytes
   * @throws IOException when the coding is unsupported or the bytes are not what it says
   */
  static byte[] decode(HttpHeaders headers, byte[] body, long limit, MemoryBudget.Ledger memory)
      throws IOException {
    Coding coding = of(headers);
    if (coding == Coding.IDENTITY) {
      return body;
    }
    try (InputStream in = open(coding, new ByteArrayInputStream(body))) {
      byte[] decoded = Bodies.readCapped(in, limit, memory);
      memory.release(body.length); // the encoded bytes are dropped once decoded
      return decoded;
    }
  }

  /**
   * A body stream that decodes as it is read. The decoder is opened at the first read, not here:
   * gzip reads its header at once, and that read must happen under the stream's deadline.
   */
  static InputStream decoding(HttpHeaders headers, InputStream raw) throws Unsupported {
    Coding coding = of(headers);
    if (coding == Coding.IDENTITY) {
      return raw;
    }
    return new InputStream() {
      private InputStream decoded;

      private InputStream decoded() throws IOException {
        if (decoded == null) {
          decoded = open(coding, raw);
        }
        return decoded;
      }

      @Override
      public int read() throws IOException {
        return decoded().read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return decoded().read(b, off, len);
      }

      @Override
      public void close() throws IOException {
        raw.close(); // aborts the exchange, whatever the decoder holds
      }
    };
  }

  private static InputStream open(Coding coding, InputStream in) throws IOException {
    return switch (coding) {
      case GZIP -> new GZIPInputStream(in);
      case DEFLATE -> deflate(in);
      case IDENTITY -> in;
    };
  }

  /**
   * HTTP's "deflate" is meant to be zlib-wrapped (RFC 9110 8.4.1.2), but some servers send a raw
   * deflate stream: the first two bytes tell which.
   */
  private static InputStream deflate(InputStream in) throws IOException {
    PushbackInputStream peek = new PushbackInputStream(in, 2);
    byte[] head = peek.readNBytes(2);
    peek.unread(head);
    boolean zlib =
        head.length == 2
            && (head[0] & 0x0f) == 8
            && ((head[0] & 0xff) << 8 | (head[1] & 0xff)) % 31 == 0;
    return new InflaterInputStream(peek, new Inflater(!zlib));
  }
}
