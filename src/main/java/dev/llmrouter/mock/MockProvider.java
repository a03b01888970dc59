package dev.llmrouter.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Api;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A fake provider that speaks both real wire formats, for demos, air-gapped trials and benchmarks.
 * OpenAI (base URL {@code http://host:port/v1}): {@code /v1/chat/completions}, the Responses API
 * ({@code /v1/responses} and a created response's {@code GET}, {@code DELETE} and {@code
 * input_items}), {@code /v1/embeddings} and the legacy {@code /v1/completions}, each also without
 * the {@code /v1}. Anthropic (base URL {@code http://host:port}): {@code /v1/messages} and {@code
 * /v1/messages/count_tokens}. It accepts any key. A {@link MockScenario} other than {@code ok}
 * applies to every route, in that route's API's error shape; only a too-long prompt spares the
 * routes that send no prompt to a model.
 */
public final class MockProvider implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final MockScenario scenario;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final MockResponses responses = new MockResponses();

  private MockProvider(HttpServer server, MockScenario scenario) {
    this.server = server;
    this.scenario = scenario;
  }

  public static MockProvider start(String host, int port, MockScenario scenario)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
    MockProvider mock = new MockProvider(server, scenario);
    server.setExecutor(mock.executor);
    server.createContext("/", mock::handle);
    server.start();
    return mock;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Base URL for an OpenAI provider entry pointing here. */
  public String openAiBaseUrl() {
    return "http://" + hostForUrl() + ":" + port() + "/v1";
  }

  /** Base URL for an Anthropic provider entry pointing here. */
  public String anthropicBaseUrl() {
    return "http://" + hostForUrl() + ":" + port();
  }

  private String hostForUrl() {
    return ServerSettings.hostForUrl(server.getAddress().getAddress().getHostAddress());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      MockRoute route = MockRoute.of(exchange.getRequestMethod(), path);
      byte[] request = exchange.getRequestBody().readAllBytes();
      if (route == null) {
        send(exchange, 404, MockBodies.error(Api.OPENAI, 404, "no such path on the mock: " + path));
        return;
      }
      // Both APIs list models at /v1/models: Anthropic's requests say which they are.
      Api api =
          route.kind() == MockRoute.Kind.MODELS
                  && exchange.getRequestHeaders().containsKey("anthropic-version")
              ? Api.ANTHROPIC
              : route.kind().api;
      switch (scenario) {
        case MockScenario.Ok ok ->
            write(exchange, answer(route, api, request, exchange.getRequestURI().getRawQuery()));
        case MockScenario.Slow slow -> {
          if (!pause(slow.delay())) {
            return;
          }
          write(exchange, answer(route, api, request, exchange.getRequestURI().getRawQuery()));
        }
        case MockScenario.RateLimited r -> {
          exchange.getResponseHeaders().set("retry-after", "1");
          send(
              exchange, 429, MockBodies.error(api, 429, "Rate limit reached (mock scenario 429)."));
        }
        case MockScenario.ServerError e ->
            send(exchange, 500, MockBodies.error(api, 500, "Internal error (mock scenario 500)."));
        case MockScenario.Unavailable u ->
            send(exchange, 503, MockBodies.error(api, 503, "Overloaded (mock scenario 503)."));
        case MockScenario.Hang h -> pause(Duration.ofDays(1));
        case MockScenario.ContextExceeded c -> {
          if (route.kind().takesPrompt) {
            send(
                exchange,
                400,
                MockBodies.error(
                    api,
                    400,
                    "This model's maximum context length is 8192 tokens (mock scenario context)."));
          } else {
            write(exchange, answer(route, api, request, exchange.getRequestURI().getRawQuery()));
          }
        }
      }
    }
  }

  /** The answer of a healthy provider; a body that is not JSON is a 400, as at both providers. */
  private MockReply answer(MockRoute route, Api api, byte[] body, String rawQuery) {
    JsonNode request;
    if (body.length == 0) {
      request = Json.MAPPER.createObjectNode();
    } else {
      try {
        request = Json.MAPPER.readTree(body);
      } catch (JacksonException e) {
        return new MockReply.Complete(
            400,
            MockBodies.error(
                route.kind().api, 400, "The request body is not valid JSON (mock provider)."));
      }
    }
    return switch (route.kind()) {
      case CHAT -> MockBodies.reply(Api.OPENAI, request);
      case MESSAGES -> MockBodies.reply(Api.ANTHROPIC, request);
      case COUNT_TOKENS -> MockTokens.countTokens(request);
      case RESPONSES -> responses.create(request);
      case RESPONSE_GET -> responses.get(route.id());
      case RESPONSE_DELETE -> responses.delete(route.id());
      case RESPONSE_INPUT_ITEMS -> responses.inputItems(route.id(), rawQuery);
      case EMBEDDINGS -> MockEmbeddings.create(request);
      case COMPLETIONS -> MockCompletions.create(request);
      case MODELS -> MockModels.list(api);
    };
  }

  private static void write(HttpExchange exchange, MockReply reply) throws IOException {
    switch (reply) {
      case MockReply.Complete json -> send(exchange, json.status(), json.body());
      case MockReply.Stream stream -> {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          for (byte[] event : stream.events()) {
            out.write(event);
            out.flush();
          }
        }
      }
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Waits, but gives up at once when the mock closes; false then. */
  private boolean pause(Duration d) {
    try {
      return !closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
