package dev.llmrouter.logging;

import dev.llmrouter.json.Json;
import dev.llmrouter.routing.AttemptRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;

/** Turns a {@link RequestRecord} into one JSONL line, redacted. Runs on the writer thread only. */
final class RecordSerializer {

  private final Redactor redactor;

  RecordSerializer(Redactor redactor) {
    this.redactor = redactor;
  }

  /** One complete line, ending in a newline. */
  byte[] line(RequestRecord r) {
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
        g.writeStringProperty("error", redactor.redact(r.error()));
      }
      g.writeName("attempts");
      g.writeStartArray();
      for (AttemptRecord a : r.attempts()) {
        writeAttempt(g, a);
      }
      g.writeEndArray();
      g.writeName("request");
      writeBody(g, r.requestBody());
      if (r.streamLog() == null) {
        g.writeName("response");
        writeBody(g, r.responseBody());
        writeUsage(g, r.responseBody());
      } else {
        writeStream(g, r.streamLog());
      }
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  private void writeStream(JsonGenerator g, StreamLog stream) {
    g.writeName("stream_result");
    g.writeStartObject();
    g.writeBooleanProperty("completed", stream.completed());
    g.writeStringProperty("end", stream.end());
    g.writeNumberProperty("events", stream.events().size());
    g.writeNumberProperty("first_event_ms", stream.firstEventMicros() / 1000.0);
    g.writeEndObject();
    StreamAssembler.Assembled assembled = StreamAssembler.assemble(stream.events());
    g.writeName("response");
    writeBody(g, Json.MAPPER.writeValueAsBytes(assembled.response()));
    if (assembled.usage() != null) {
      g.writeName("usage");
      writeBody(g, Json.MAPPER.writeValueAsBytes(assembled.usage()));
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
      g.writeStringProperty("detail", redactor.redact(a.detail()));
    }
    g.writeNumberProperty("duration_ms", a.durationMicros() / 1000.0);
    g.writeStringProperty("action", a.action());
    g.writeEndObject();
  }

  /** A JSON body is embedded as a value (compacted, so the line stays one line); else a string. */
  private void writeBody(JsonGenerator g, byte[] body) {
    if (body == null) {
      g.writeNull();
      return;
    }
    byte[] bytes = redactor.redact(body); // the same array, undecoded, when no secret is in it
    if (!Json.isWellFormed(bytes)) {
      g.writeString(new String(bytes, StandardCharsets.UTF_8));
      return;
    }
    try (JsonParser p = Json.parser(bytes)) {
      p.nextToken();
      g.copyCurrentStructure(p);
    }
  }

  /** Copies the response's top-level {@code usage} object, when it has one. */
  private static void writeUsage(JsonGenerator g, byte[] body) {
    if (body == null || !Json.isWellFormed(body)) {
      return;
    }
    try (JsonParser p = Json.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
          g.writeName("usage");
          g.copyCurrentStructure(p);
          return;
        }
        p.skipChildren();
      }
    }
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }
}
