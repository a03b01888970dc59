package dev.llmrouter.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmrouter.wire.Api;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake provider that speaks both real wire formats, for demos, air-gapped trials and benchmarks:
 * OpenAI at {@code /v1/chat/completions} (base URL {@code http://host:port/v1}) and Anthropic at
 * {@code /v1/messages} (base URL {@code http://host:port}). It accepts any key.
 */
public final class MockProvider implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final MockScenario scenario;
  private final CountDownLatch closing = new CountDownLatch(1);

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
    String host = server.getAddress().getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Api api =
          switch (path) {
            case "/v1/chat/completions", "/chat/completions" -> Api.OPENAI;
            case "/v1/messages" -> Api.ANTHROPIC;
            default -> null;
          };
      byte[] request = exchange.getRequestBody().readAllBytes();
      if (api == null || !exchange.getRequestMethod().equals("POST")) {
        send(exchange, 404, MockBodies.error(Api.OPENAI, 404, "no such path on the mock: " + path));
        return;
      }
      MockBodies.Request parsed = MockBodies.parse(request);
      switch (scenario) {
        case MockScenario.Ok ok -> answer(exchange, api, parsed);
        case MockScenario.Slow slow -> {
          if (!pause(slow.delay())) {
            return;
          }
          answer(exchange, api, parsed);
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
        case MockScenario.ContextExceeded c ->
            send(
                exchange,
                400,
                MockBodies.error(
                    api,
                    400,
                    "This model's maximum context length is 8192 tokens (mock scenario context)."));
      }
    }
  }

  private static void answer(HttpExchange exchange, Api api, MockBodies.Request request)
      throws IOException {
    if (!request.stream()) {
      send(exchange, 200, MockBodies.completion(api, request.model()));
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      for (byte[] event : MockBodies.streamEvents(api, request.model())) {
        out.write(event);
        out.flush();
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
