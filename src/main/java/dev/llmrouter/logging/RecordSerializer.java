package dev.llmrouter.logging;

import dev.llmrouter.json.Json;
import dev.llmrouter.routing.AttemptRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.databind.JsonNode;

/**
 * Turns a {@link RequestRecord} into one JSONL line, redacted. Runs on the writer thread only.
 * Redaction runs on the finished line, after Jackson has re-encoded every body: a secret the client
 * or the upstream wrote with JSON escapes is decoded by then (and the scan decodes escapes itself).
 */
final class RecordSerializer {

  private final Redactor redactor;

  RecordSerializer(Redactor redactor) {
    this.redactor = redactor;
  }

  /** One complete line, ending in a newline. */
  byte[] line(RequestRecord r) {
    return redactor.redact(unredacted(r));
  }

  private byte[] unredacted(RequestRecord r) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(512 + length(r.requestBody()) + length(r.responseBody()));
    try (JsonGenerator g = Json.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      g.writeStartObject();
      g.writeStringProperty("request_id", r.id());
      g.writeStringProperty("time", Instant.ofEpochMilli(r.startEpochMillis()).toString());
      g.writeNumberProperty("duration_ms", r.durationMicros() / 1000.0);
      g.writeStringProperty("endpoint", r.endpoint());
      g.writeStringProperty("path", r.path());
      g.writeStringProperty("model", r.model());
      g.writeBooleanProperty("stream", r.stream());
      g.writeNumberProperty("status", r.status());
      g.writeStringProperty("provider", r.provider());
      if (r.clientKey() != null) {
        g.writeStringProperty("client_key", r.clientKey());
      }
      if (r.error() != null) {
        g.writeStringProperty("error", r.error());
      }
      g.writeName("attempts");
      g.writeStartArray();
      for (AttemptRecord a : r.attempts()) {
        writeAttempt(g, a);
      }
      g.writeEndArray();
      g.writeName("request");
      writeBody(g, out, r.requestBody(), false);
      if (r.streamLog() == null) {
        g.writeName("response");
        writeBody(g, out, r.responseBody(), true);
      } else {
        writeStream(g, out, r.streamLog());
      }
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  private void writeStream(JsonGenerator g, ByteArrayOutputStream out, StreamLog stream) {
    g.writeName("stream_result");
    g.writeStartObject();
    g.writeBooleanProperty("completed", stream.completed());
    g.writeStringProperty("end", stream.end());
    g.writeNumberProperty("events", stream.assembler().events());
    g.writeNumberProperty("first_event_ms", stream.firstEventMicros() / 1000.0);
    g.writeEndObject();
    StreamAssembler.Assembled assembled = stream.assembler().assembled();
    if (assembled.truncated()) {
      g.writeBooleanProperty("truncated", true);
    }
    g.writeName("response");
    writeBody(g, out, Json.MAPPER.writeValueAsBytes(assembled.response()), false);
    if (assembled.usage() != null) {
      g.writeName("usage");
      writeBody(g, out, Json.MAPPER.writeValueAsBytes(assembled.usage()), false);
    }
  }

  private void writeAttempt(JsonGenerator g, AttemptRecord a) {
    g.writeStartObject();
    g.writeStringProperty("provider", a.provider());
    if (a.status() > 0) {
      g.writeNumberProperty("status", a.status());
    }
    if (a.error() != null) {
      g.writeStringProperty("error", a.error());
      g.writeStringProperty("detail", a.detail());
    }
    g.writeNumberProperty("duration_ms", a.durationMicros() / 1000.0);
    g.writeStringProperty("action", a.action());
    g.writeEndObject();
  }

  /**
   * A JSON body is embedded as a value (compacted, so the line stays one line); else a string.
   * Writes the body and, when asked and the body is a JSON object with one, its top-level {@code
   * usage} object as a sibling property, in one parse of the body: the writer thread's cost per
   * record is mostly this parse, and the log must not cap throughput.
   */
  private void writeBody(
      JsonGenerator g, ByteArrayOutputStream out, byte[] body, boolean withUsage) {
    if (body == null) {
      g.writeNull();
      return;
    }
    Compacted compacted = compact(body, withUsage);
    if (compacted == null) {
      g.writeString(new String(body, StandardCharsets.UTF_8));
      return;
    }
    writeRawJson(g, out, compacted.json);
    if (compacted.usage != null) {
      g.writeName("usage");
      writeRawJson(g, out, compacted.usage);
    }
  }

  /** The compacted JSON and its top-level usage object; null when the bytes are not one value. */
  private static final class Compacted {
    final ByteArrayOutputStream json;
    final ByteArrayOutputStream usage;

    Compacted(ByteArrayOutputStream json, ByteArrayOutputStream usage) {
      this.json = json;
      this.usage = usage;
    }
  }

  private static Compacted compact(byte[] bytes, boolean withUsage) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(bytes.length);
    ByteArrayOutputStream usage = null;
    try (JsonParser p = Json.MAPPER.createParser(bytes);
        JsonGenerator g = Json.MAPPER.createGenerator(buffer)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      if (first == JsonToken.START_OBJECT && withUsage) {
        g.writeStartObject();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          g.writeName(name);
          if (p.nextToken() == JsonToken.START_OBJECT && "usage".equals(name)) {
            JsonNode node = p.readValueAsTree();
            g.writeTree(node);
            usage = new ByteArrayOutputStream(256);
            Json.MAPPER.writeValue(usage, node);
          } else {
            g.copyCurrentStructure(p);
          }
        }
        g.writeEndObject();
      } else {
        g.copyCurrentStructure(p);
      }
      if (p.nextToken() != null) {
        return null; // more than one value: not a JSON body
      }
    } catch (JacksonException e) {
      return null;
    }
    return new Compacted(buffer, usage);
  }

  /**
   * Embeds bytes already known to be one compact JSON value. The generator writes the separator (an
   * empty raw value), then the bytes go to the output directly, after what it buffered.
   */
  private static void writeRawJson(
      JsonGenerator g, ByteArrayOutputStream out, ByteArrayOutputStream json) {
    g.writeRawValue("");
    g.flush();
    try {
      json.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // memory to memory: does not happen
    }
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }
}
