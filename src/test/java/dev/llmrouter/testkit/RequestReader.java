package dev.llmrouter.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one HTTP/1.1 request off a {@link FakeUpstream} connection: request line, headers, and a
 * Content-Length or chunked body. Kept apart from the fake so that the server loop reads as "read,
 * record, reply" and the byte-level rules live in one place.
 */
final class RequestReader {
  private RequestReader() {}

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 256;
  private static final int MAX_BODY = 64 * 1024 * 1024;

  /** One request as read, and whether its connection may serve another after the reply. */
  record ParsedRequest(Received received, boolean keepAlive) {}

  /** A malformed request; the message is sent back in a 400. */
  static final class BadRequest extends IOException {
    BadRequest(String message) {
      super(message);
    }
  }

  /**
   * Reads one request, or returns null if the client closed the connection between requests. Writes
   * {@code 100 Continue} to {@code out} when the client asks for it.
   */
  static ParsedRequest read(WireInput in, OutputStream out) throws IOException {
    String line = in.readLine(MAX_LINE);
    while (line != null && line.isEmpty()) {
      line = in.readLine(MAX_LINE); // tolerate stray CRLFs between requests
    }
    if (line == null) {
      return null;
    }
    String[] parts = line.split(" ", -1);
    if (parts.length != 3
        || parts[0].isEmpty()
        || parts[1].isEmpty()
        || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("bad request line: " + line);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int count = 0; ; count++) {
      String h = in.readLine(MAX_LINE);
      if (h == null) {
        throw new EOFException("stream ended in the headers");
      }
      if (h.isEmpty()) {
        break;
      }
      int colon = h.indexOf(':');
      if (colon <= 0 || count >= MAX_HEADERS) {
        throw new BadRequest("bad header line: " + h);
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    if ("100-continue".equalsIgnoreCase(first(headers, "expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body = readBody(in, headers);

    String connection =
        String.join(",", headers.getOrDefault("connection", List.of())).toLowerCase(Locale.ROOT);
    boolean keepAlive =
        parts[2].equals("HTTP/1.0")
            ? hasToken(connection, "keep-alive")
            : !hasToken(connection, "close");
    return new ParsedRequest(new Received(parts[0], parts[1], headers, body), keepAlive);
  }

  private static byte[] readBody(WireInput in, Map<String, List<String>> headers)
      throws IOException {
    List<String> te = headers.get("transfer-encoding");
    if (te != null) {
      String codings = String.join(",", te).toLowerCase(Locale.ROOT).strip();
      if (!codings.endsWith("chunked")) {
        throw new BadRequest("unsupported transfer-encoding: " + codings);
      }
      return readChunked(in);
    }
    List<String> cl = headers.get("content-length");
    if (cl == null) {
      return new byte[0];
    }
    List<String> distinct = cl.stream().map(String::strip).distinct().toList();
    long length;
    try {
      length = distinct.size() == 1 ? Long.parseLong(distinct.get(0)) : -1;
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0 || length > MAX_BODY) {
      throw new BadRequest("bad content-length: " + cl);
    }
    return in.readExactly((int) length);
  }

  private static byte[] readChunked(WireInput in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = in.readLine(MAX_LINE);
      if (sizeLine == null) {
        throw new EOFException("stream ended in a chunked body");
      }
      int semi = sizeLine.indexOf(';');
      String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("bad chunk size: " + sizeLine);
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new BadRequest("bad chunk size: " + sizeLine);
      }
      if (size == 0) {
        // trailer section, ignored
        String trailer;
        do {
          trailer = in.readLine(MAX_LINE);
          if (trailer == null) {
            throw new EOFException("stream ended in chunked trailers");
          }
        } while (!trailer.isEmpty());
        return body.toByteArray();
      }
      body.write(in.readExactly(size));
      String crlf = in.readLine(MAX_LINE);
      if (crlf == null || !crlf.isEmpty()) {
        throw new BadRequest("missing CRLF after chunk data");
      }
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static boolean hasToken(String commaList, String token) {
    for (String t : commaList.split(",", -1)) {
      if (t.strip().equals(token)) {
        return true;
      }
    }
    return false;
  }
}
