package dev.llmrouter.cli;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.RouterHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** A real HTTP/1.1 client for talking to CLI processes; every request has a deadline. */
final class Http {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpRequest postRequest(String url, String json, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  static HttpResponse<String> post(String url, String json, String... headers) {
    return send(postRequest(url, json, headers));
  }

  static HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> send(HttpRequest request) {
    return RouterHarness.send(request);
  }

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }
}
