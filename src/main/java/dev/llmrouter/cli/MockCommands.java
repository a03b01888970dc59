package dev.llmrouter.cli;

import dev.llmrouter.Router;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.mock.MockProvider;
import dev.llmrouter.mock.MockScenario;
import dev.llmrouter.server.JdkServerTuning;
import dev.llmrouter.upstream.JdkClientTuning;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mock} and {@code demo}: the mock provider alone, and a router in front of two mocks that
 * needs no keys. They stop as {@code serve} does ({@link Serving#stopOnShutdown}).
 */
final class MockCommands {

  private MockCommands() {}

  static int mock(Command.Mock m, PrintStream out, PrintStream err) {
    MockScenario scenario = MockScenario.parse(m.scenario()); // checked by ArgParser
    MockProvider mock;
    try {
      mock = MockProvider.start(m.host(), m.port(), scenario);
    } catch (IOException | RuntimeException e) {
      StartFailure failure =
          new StartFailure(
              m.host(), m.port(), null, new StartFailure.Fixes("--port", "--host", null));
      err.println("llm-api-router: cannot start the mock: " + failure.describe(e));
      return Cli.FAILED;
    }
    CountDownLatch stopped =
        Serving.stopOnShutdown(
            () -> {
              mock.close();
              return true;
            },
            Serving.SHUTDOWN_SLACK);
    out.printf(
        "mock provider (scenario %s) listening: OpenAI base_url %s, Anthropic base_url %s%n",
        m.scenario(), mock.openAiBaseUrl(), mock.anthropicBaseUrl());
    out.flush();
    Serving.await(stopped);
    return Cli.OK;
  }

  static int demo(Command.Demo d, PrintStream out, PrintStream err) {
    Path logDir = d.logDir() == null ? RouterConfig.DEFAULT_LOG_DIR : d.logDir();
    StartFailure failure =
        new StartFailure(
            ServerSettings.DEFAULT_HOST,
            d.port(),
            logDir,
            new StartFailure.Fixes("--port (make demo PORT=N)", null, "--log-dir"));
    Optional<String> logFolder = failure.logFolderProblem();
    if (logFolder.isPresent()) {
      err.println("llm-api-router: cannot start the demo: " + logFolder.get());
      return Cli.FAILED;
    }
    List<AutoCloseable> open = new ArrayList<>();
    CountDownLatch stopped;
    try {
      // The mocks start JDK servers first, and the JDK reads its server settings once.
      JdkServerTuning.apply();
      JdkClientTuning.apply();
      MockProvider limited = MockProvider.start("127.0.0.1", 0, MockScenario.parse("429"));
      open.add(limited);
      MockProvider healthy = MockProvider.start("127.0.0.1", 0, MockScenario.parse("ok"));
      open.add(healthy);
      RouterConfig config =
          new RouterConfig(
              ServerSettings.defaults().withPort(d.port()),
              logDir,
              List.of(
                  provider("mock-rate-limited", limited.openAiBaseUrl(), 1),
                  provider("mock-healthy", healthy.openAiBaseUrl(), 2)),
              List.of(
                  provider("mock-rate-limited", limited.anthropicBaseUrl(), 1),
                  provider("mock-healthy", healthy.anthropicBaseUrl(), 2)));
      Router router = Router.start(config);
      open.add(0, router);
      // Ctrl-C drains the demo's router as serve's, in the same two lines; then its mocks stop.
      stopped =
          Serving.stopOnShutdown(
              () -> {
                boolean clean = Serving.drain(router, err);
                closeAll(open.subList(1, open.size()));
                return clean;
              },
              Serving.SHUTDOWN_SLACK);
      printDemo(out, router.port(), router.logFile());
    } catch (IOException | RuntimeException e) {
      err.println("llm-api-router: cannot start the demo: " + failure.describe(e));
      closeAll(open);
      return Cli.FAILED;
    }
    Serving.await(stopped);
    return Cli.OK;
  }

  private static void printDemo(PrintStream out, int port, Path logFile) {
    String base = "http://127.0.0.1:" + port;
    out.println("llm-api-router demo: router on " + base + " in front of two mock providers:");
    out.println("  priority 1: mock-rate-limited (always answers 429)");
    out.println("  priority 2: mock-healthy");
    out.println("Try these in another terminal (x-router-provider shows the fallback):");
    out.println();
    out.println(
        "curl -si "
            + base
            + "/openai/chat/completions -H 'Content-Type: application/json' -d"
            + " '{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
    out.println(
        "curl -si "
            + base
            + "/anthropic/v1/messages -H 'Content-Type: application/json' -H 'anthropic-version:"
            + " 2023-06-01' -d"
            + " '{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
    out.println("curl -s " + base + "/health");
    out.println();
    out.println("Request log: " + logFile + "   (Ctrl-C to stop)");
    out.flush();
  }

  private static ProviderConfig provider(String name, String baseUrl, int priority) {
    return new ProviderConfig(
        name,
        "demo-key-not-secret",
        priority,
        URI.create(baseUrl),
        ProviderConfig.DEFAULT_TIMEOUT,
        0,
        ProviderConfig.DEFAULT_STREAM_IDLE_TIMEOUT,
        ProviderConfig.DEFAULT_WEIGHT);
  }

  private static void closeAll(List<AutoCloseable> open) {
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing on the way out: nothing left to report it to.
      }
    }
  }
}
