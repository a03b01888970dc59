package dev.llmrouter.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A {@link MockProvider} on an ephemeral port of 127.0.0.1 and a real HTTP/1.1 client for it. Every
 * call is bounded as a whole (headers and body), not only until the headers arrive.
 */
final class MockClient implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(10);

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static final Pattern BLANK_LINE = Pattern.compile("\\n\\n");

  final MockProvider mock;

  private MockClient(MockProvider mock) {
    this.mock = mock;
  }

  static MockClient start(String scenario) {
    try {
      return new MockClient(MockProvider.start("127.0.0.1", 0, MockScenario.parse(scenario)));
    } catch (IOException e) {
      throw new AssertionError("the mock did not start", e);
    }
  }

  /** {@code path} under the server's root, e.g. {@code /v1/responses}. */
  URI uri(String path) {
    return URI.create(mock.anthropicBaseUrl() + path);
  }

  HttpResponse<String> post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer any-key")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
  }

  /** A JSON POST that must answer 200; its body as a tree. */
  JsonNode postOk(String path, String json) {
    HttpResponse<String> r = post(path, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    return json(r.body());
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT
          .sendAsync(request.timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString())
          .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("no complete answer within " + DEADLINE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  /** One SSE event: its {@code event:} name (null without one) and its {@code data:}. */
  record Event(String name, String data) {
    JsonNode json() {
      return MockClient.json(data);
    }
  }

  /**
   * The events of a complete {@code text/event-stream} body, each exactly an optional {@code
   * event:} line and one {@code data:} line, as both providers frame them.
   */
  static List<Event> events(HttpResponse<String> stream) {
    assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
    assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(stream.body()).endsWith("\n\n");
    List<Event> events = new ArrayList<>();
    for (String block : BLANK_LINE.splitAsStream(stream.body()).toList()) {
      List<String> lines = block.lines().toList();
      assertThat(lines).hasSizeBetween(1, 2);
      assertThat(lines.getLast()).startsWith("data: ");
      String name = null;
      if (lines.size() == 2) {
        assertThat(lines.getFirst()).startsWith("event: ");
        name = lines.getFirst().substring("event: ".length());
      }
      events.add(new Event(name, lines.getLast().substring("data: ".length())));
    }
    return events;
  }

  @Override
  public void close() {
    mock.close();
  }
}
