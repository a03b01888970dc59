package dev.llmrouter.testkit;

import dev.llmrouter.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request log lines shaped as the router writes them (see RecordSerializer), built as JSON trees,
 * for tests that need exact known contents: {@code LogLines.at(time).provider("a").attempt(...)}. A
 * line starts as a plain 200 from nobody, 100 ms, on {@code openai} for {@code gpt-4o-mini}.
 */
public final class LogLines {

  private final ObjectNode line = Json.MAPPER.createObjectNode();
  private final ArrayNode attempts;

  private LogLines(Instant time) {
    line.put("request_id", "req_" + Long.toHexString(time.toEpochMilli()));
    line.put("time", time.toString());
    line.put("duration_ms", 100.0);
    line.put("endpoint", "openai");
    line.put("path", "/openai/v1/chat/completions");
    line.put("model", "gpt-4o-mini");
    line.put("stream", false);
    line.put("status", 200);
    line.putNull("provider");
    attempts = line.putArray("attempts");
    ObjectNode request = line.putObject("request");
    request.put("model", "gpt-4o-mini");
    request.putArray("messages").addObject().put("role", "user").put("content", "Hi");
    line.putObject("response").put("id", "resp-1").put("object", "chat.completion");
  }

  public static LogLines at(Instant time) {
    return new LogLines(time);
  }

  public static LogLines at(String time) {
    return at(Instant.parse(time));
  }

  public LogLines endpoint(String endpoint) {
    line.put("endpoint", endpoint);
    line.put(
        "path",
        endpoint.equals("anthropic") ? "/anthropic/v1/messages" : "/openai/v1/chat/completions");
    return this;
  }

  /** The model the client asked for; null for none. */
  public LogLines model(String model) {
    line.put("model", model);
    return this;
  }

  /** The provider that answered; null for none. */
  public LogLines provider(String provider) {
    line.put("provider", provider);
    return this;
  }

  public LogLines status(int status) {
    line.put("status", status);
    return this;
  }

  public LogLines duration(double ms) {
    line.put("duration_ms", ms);
    return this;
  }

  /** A called provider: {@code failureClass} null for none. */
  public LogLines attempt(String provider, int status, String failureClass, String action) {
    ObjectNode a = attempts.addObject();
    a.put("provider", provider);
    a.put("model", line.path("model").asString("m"));
    if (status > 0) {
      a.put("status", status);
    }
    if (failureClass != null) {
      a.put("class", failureClass);
      a.put("detail", "upstream said no");
    }
    a.put("duration_ms", 10.0);
    a.put("action", action);
    return this;
  }

  /** A provider the walk passed over without calling it. */
  public LogLines skipped(String provider, String reason) {
    ObjectNode a = attempts.addObject();
    a.put("provider", provider);
    a.put("action", "skipped");
    a.put("reason", reason);
    return this;
  }

  /** A relayed stream: stream_result, with the assembled response. */
  public LogLines stream(boolean completed, double firstEventMs) {
    line.put("stream", true);
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("completed", completed);
    r.put("end", completed ? "completed" : "upstream_broken");
    r.put("events", 12);
    r.put("first_event_ms", firstEventMs);
    line.remove("response");
    line.set("stream_result", r);
    line.putObject("response").put("content", "Hello there");
    return this;
  }

  /** OpenAI's usage names. */
  public LogLines openAiUsage(int prompt, int completion) {
    line.putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return this;
  }

  /** Anthropic's usage names. */
  public LogLines anthropicUsage(int input, int output) {
    line.putObject("usage").put("input_tokens", input).put("output_tokens", output);
    return this;
  }

  /** Anthropic's usage names with its prompt-cache counts, which it keeps apart from input. */
  public LogLines anthropicCachedUsage(int input, int cacheWrite, int cacheRead, int output) {
    line.putObject("usage")
        .put("input_tokens", input)
        .put("cache_creation_input_tokens", cacheWrite)
        .put("cache_read_input_tokens", cacheRead)
        .put("output_tokens", output);
    return this;
  }

  /** A {@code usage} object as an upstream sent it, whatever its names and types. */
  public LogLines usage(String json) {
    line.set("usage", Json.MAPPER.readTree(json));
    return this;
  }

  /** A request body of about {@code chars} characters, as a large logged body would be. */
  public LogLines bigRequest(int chars) {
    ObjectNode request = line.putObject("request");
    request.put("model", line.path("model").asString("m"));
    request.putArray("messages").addObject().put("role", "user").put("content", "x".repeat(chars));
    return this;
  }

  /** The line, without a newline. */
  public String line() {
    return Json.MAPPER.writeValueAsString(line);
  }

  @Override
  public String toString() {
    return line();
  }

  /** Writes the lines, each with a newline, as the router would. */
  public static Path write(Path file, List<?> lines) {
    StringBuilder text = new StringBuilder();
    for (Object l : lines) {
      text.append(l).append('\n');
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
