package dev.llmrouter.logging;

import dev.llmrouter.json.Json;
import dev.llmrouter.routing.AttemptRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Turns a {@link RequestRecord} into one JSONL line, redacted. Runs on the writer thread only.
 *
 * <p>Redaction runs on the finished line, after Jackson has re-encoded every body: a secret the
 * client or the upstream wrote with JSON escapes is decoded by then (and the scan decodes escapes
 * itself). The line is built once, in a buffer sized for it, and redacted on its way to the file:
 * the record's bodies are not copied again on the way, so a large record costs the writer about its
 * own size once, not several times.
 */
final class RecordSerializer {

  private final Redactor redactor;
  private final LogTime time = new LogTime();

  /** The counts of the usage the line being written carries, once found (one thread). */
  private UsageTokens.Counts usage;

  RecordSerializer(Redactor redactor) {
    this.redactor = redactor;
  }

  /** One complete line with its bodies, ending in a newline, as bytes (for tests). */
  byte[] line(RequestRecord r) {
    return line(r, true);
  }

  /** One complete line, ending in a newline, as bytes (for tests and small records). */
  byte[] line(RequestRecord r, boolean withBodies) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(r, withBodies, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // memory to memory: does not happen
    }
    return out.toByteArray();
  }

  /**
   * Writes one complete, redacted line, ending in a newline, to {@code out}.
   *
   * @param withBodies whether the line carries what the prompt and the answer said: the request and
   *     response bodies, a stream's assembled text, the upstreams' error messages (attempt {@code
   *     detail}s, which may quote the prompt) and a router error message that repeats them. Without
   *     them the line keeps the metadata: status, attempts, usage, stream result.
   * @return the tokens of the {@code usage} object the line carries, or null: for the token
   *     counters, so that nobody reads the answer a second time
   */
  UsageTokens.Counts write(RequestRecord r, boolean withBodies, OutputStream out)
      throws IOException {
    usage = null;
    long size = 512L + 256L * r.attempts().size();
    if (withBodies) {
      long bodies = (long) length(r.requestBody());
      if (r.responseShape() != BodyShape.EMBEDDINGS) {
        bodies += length(r.responseBody()); // an embeddings answer is kept without its vectors
      }
      size += bodies + bodies / 8; // room for some escaping: the buffer never doubles
      if (r.streamLog() != null) {
        size += r.streamLog().assembler().keptChars();
      }
    }
    LineBuffer line = new LineBuffer((int) Math.min(size, Integer.MAX_VALUE - 8));
    try (JsonGenerator g = Json.MAPPER.createGenerator(line)) {
      g.writeStartObject();
      g.writeStringProperty("request_id", r.id());
      g.writeStringProperty("time", time.format(r.startEpochMillis()));
      g.writeNumberProperty("duration_ms", r.durationMicros() / 1000.0);
      g.writeStringProperty("endpoint", r.endpoint());
      g.writeStringProperty("method", r.method());
      g.writeStringProperty("path", r.path());
      g.writeStringProperty("model", r.model());
      g.writeBooleanProperty("stream", r.stream());
      g.writeNumberProperty("status", r.status());
      g.writeStringProperty("provider", r.provider());
      if (r.clientKey() != null) {
        g.writeStringProperty("client_key", r.clientKey());
      }
      if (r.error() != null && (withBodies || !quotesUpstreams(r))) {
        g.writeStringProperty("error", r.error());
      }
      g.writeName("attempts");
      g.writeStartArray();
      for (AttemptRecord a : r.attempts()) {
        writeAttempt(g, a, withBodies);
      }
      g.writeEndArray();
      if (withBodies) {
        if (writeBodies(g, r)) {
          g.writeBooleanProperty("truncated", true);
        }
      } else {
        writeUsageOnly(g, r);
      }
      g.writeEndObject();
    }
    redactor.redactTo(line.bytes(), line.size(), out);
    out.write('\n');
    return usage;
  }

  /**
   * The router's message for a walk that ran out of providers lists every attempt with its {@code
   * detail}: where those are left out, so is the message.
   */
  private static boolean quotesUpstreams(RequestRecord r) {
    for (AttemptRecord a : r.attempts()) {
      if (a.detail() != null) {
        return true;
      }
    }
    return false;
  }

  /** Writes request, response (or the stream's) and usage; true when something was cut. */
  private boolean writeBodies(JsonGenerator g, RequestRecord r) {
    g.writeName("request");
    long limit = r.maxLoggedBytes();
    BodyShape request = r.requestIsJson() ? BodyShape.JSON : BodyShape.UNCHECKED;
    boolean truncated = writeBody(g, r.requestBody(), request, limit, false);
    if (r.streamLog() == null) {
      g.writeName("response");
      boolean responseCut =
          writeBody(g, r.responseBody(), r.responseShape(), limit, true); // always written
      return truncated || responseCut;
    }
    StreamAssembler assembler = r.streamLog().assembler();
    writeStreamResult(g, r.streamLog());
    g.writeName("response");
    assembler.writeResponse(g);
    writeUsage(g, assembler.usage());
    return truncated || assembler.truncated();
  }

  /**
   * Without bodies a line still says how a stream went and what it cost: the usage is numbers the
   * provider counted, not text.
   */
  private void writeUsageOnly(JsonGenerator g, RequestRecord r) {
    if (r.streamLog() != null) {
      writeStreamResult(g, r.streamLog());
      writeUsage(g, r.streamLog().assembler().usage());
    } else {
      byte[] body = r.responseBody();
      writeUsage(g, AnswerScan.of(body, r.maxLoggedBytes(), Json.MAPPER), body);
    }
  }

  private static void writeStreamResult(JsonGenerator g, StreamLog stream) {
    g.writeName("stream_result");
    g.writeStartObject();
    g.writeBooleanProperty("completed", stream.completed());
    g.writeStringProperty("end", stream.end().logName());
    g.writeNumberProperty("events", stream.assembler().events());
    g.writeNumberProperty("first_event_ms", stream.firstEventMicros() / 1000.0);
    g.writeEndObject();
  }

  private void writeUsage(JsonGenerator g, JsonNode found) {
    if (found != null) {
      usage = AnswerScan.writeUsage(g, found);
    }
  }

  /** The top-level usage of a JSON object answer, when it has one, beside it in the line. */
  private void writeUsage(JsonGenerator g, AnswerScan scan, byte[] body) {
    if (scan != null) {
      usage = scan.writeUsage(g, body);
    }
  }

  private static void writeAttempt(JsonGenerator g, AttemptRecord a, boolean withDetail) {
    g.writeStartObject();
    g.writeStringProperty("provider", a.provider());
    if (a.model() != null) {
      g.writeStringProperty("model", a.model()); // the upstream ID sent
    }
    if (a.status() > 0) {
      g.writeNumberProperty("status", a.status());
    }
    if (a.failureClass() != null) {
      g.writeStringProperty("class", a.failureClass().logName());
    }
    if (a.detail() != null && withDetail) {
      g.writeStringProperty("detail", a.detail()); // the upstream's words, redacted with the line
    }
    if (a.upstreamRequestId() != null) {
      g.writeStringProperty("upstream_request_id", a.upstreamRequestId());
    }
    if (a.retryAfterMillis() > 0) {
      g.writeNumberProperty("retry_after_ms", a.retryAfterMillis());
    }
    if (a.waitedMicros() > 0) {
      g.writeNumberProperty("waited_ms", a.waitedMicros() / 1000.0);
    }
    if (a.action() != AttemptRecord.Action.SKIPPED) {
      g.writeNumberProperty("duration_ms", a.durationMicros() / 1000.0);
    }
    g.writeStringProperty("action", a.action().logName());
    if (a.skipReason() != null) {
      g.writeStringProperty("reason", a.skipReason().logName());
    }
    g.writeEndObject();
  }

  /**
   * A JSON body is embedded as a value (compacted, so the line stays one line); anything else, or a
   * body over the limit, as a string of at most {@code limit} bytes. When asked and the body is a
   * JSON object with one, its top-level {@code usage} object is written as a sibling property.
   *
   * @return whether the body was cut
   */
  private boolean writeBody(
      JsonGenerator g, byte[] body, BodyShape shape, long limit, boolean withUsage) {
    if (body == null) {
      g.writeNull();
      return false;
    }
    boolean fits = body.length <= Math.min(limit, MAX_EMBEDDED_JSON);
    boolean embeddings = shape == BodyShape.EMBEDDINGS && body.length <= limit;
    if ((fits || embeddings) && (!Utf8.isWellFormed(body) || !plainUtf8(body))) {
      // Proven JSON to the passes that skip its strings, yet no JSON in a log line: as a string,
      // each malformed sequence replaced (U+FFFD) by the decoder below.
      fits = false;
      embeddings = false;
    }
    if (embeddings) {
      // Past the embedded-JSON bound too: a large batch is mostly vectors, which are skipped, never
      // held whole, and the rest is a few short fields per input.
      copyJson(g, body, withUsage, true);
      return false;
    }
    if (fits && shape == BodyShape.JSON) {
      // Proven JSON on one line: copied as it is, without parsing it again (a JFR profile showed
      // the parse and re-generation as the largest part of the writer's work). A response is read
      // once anyway for its usage, and that pass also says whether it is on one line.
      AnswerScan scan = withUsage ? AnswerScan.of(body, limit, RawJson.LINE_DEPTH) : null;
      if (scan != null ? scan.oneLine() : RawJson.copyable(body)) {
        g.writeRawValue(new RawJson(body));
        writeUsage(g, scan, body);
        return false;
      }
    }
    if (fits && Json.isWellFormed(body)) {
      copyJson(g, body, withUsage, false);
      return false;
    }
    int kept = Redactor.cutPoint(body, (int) Math.min(body.length, limit)); // no part of a key
    // A reader, not a String: a large body is not copied again into a char array.
    g.writeString(
        new InputStreamReader(new ByteArrayInputStream(body, 0, kept), StandardCharsets.UTF_8), -1);
    if (withUsage && shape == BodyShape.JSON && kept == body.length) {
      // An answer kept as a string for its size (past 8 MiB) still counts its tokens.
      writeUsage(g, AnswerScan.of(body, limit, Json.MAPPER), body);
    }
    return kept < body.length;
  }

  /**
   * Whether JSON the parser accepted is UTF-8 as it stands: the parser detects UTF-16 and UTF-32
   * (their zero bytes pass a UTF-8 check) and skips a byte-order mark, where a raw copy would put
   * either into the line.
   */
  private static boolean plainUtf8(byte[] body) {
    boolean bom =
        body.length >= 3
            && body[0] == (byte) 0xEF
            && body[1] == (byte) 0xBB
            && body[2] == (byte) 0xBF;
    return !bom && !(body.length >= 2 && (body[0] == 0 || body[1] == 0));
  }

  /**
   * Copies a body already known to be one JSON value into the line, picking up its usage; with
   * {@code vectors}, each {@code data[].embedding} of an embeddings list is replaced by its size.
   */
  private void copyJson(JsonGenerator g, byte[] body, boolean withUsage, boolean vectors) {
    JsonNode found = null;
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT && withUsage) {
        g.writeStartObject();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          g.writeName(name);
          JsonToken value = p.nextToken();
          if (value == JsonToken.START_OBJECT && "usage".equals(name)) {
            found = p.readValueAsTree();
            g.writeTree(found);
          } else if (value == JsonToken.START_ARRAY && vectors && "data".equals(name)) {
            EmbeddingsElision.copyData(g, p, body);
          } else {
            g.copyCurrentStructure(p);
          }
        }
        g.writeEndObject();
      } else {
        g.copyCurrentStructure(p);
      }
    } catch (JacksonException e) {
      throw new IllegalStateException("a body checked well-formed failed to parse", e);
    }
    writeUsage(g, found);
  }

  /**
   * Bodies up to this size are embedded as JSON values; larger ones as strings. Jackson holds each
   * string token whole, in chars, while it copies one: a 60 MB body with one long string would take
   * 120 MB more on the writer thread, where a string is streamed through a small buffer.
   */
  private static final int MAX_EMBEDDED_JSON = 8 * 1024 * 1024;

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  /** A byte buffer whose contents are read in place, not copied out. */
  private static final class LineBuffer extends ByteArrayOutputStream {
    LineBuffer(int size) {
      super(size);
    }

    byte[] bytes() {
      return buf;
    }
  }
}
