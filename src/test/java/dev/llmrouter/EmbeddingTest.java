package dev.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ConfigLoader;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM program runs the router in-process through the facade, in a few lines. */
class EmbeddingTest {

  @TempDir Path dir;

  @Test
  void startFromAConfigStringServeAndClose() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start().always(Reply.openAiOk("embedded"))) {
      String json =
          """
          {"server": {"port": 0}, "logging": {"dir": "%s"},
           "openai": [{"api_key": "${KEY}", "base_url": "%s/v1"}]}
          """
              .formatted(dir.resolve("logs"), upstream.baseUrl());
      RouterConfig config = ConfigLoader.parse(json, Map.of("KEY", "sk-embedded-0123456789"));

      Path log;
      try (Router router = Router.start(config)) {
        HttpResponse<String> r = postChat(router, "/openai/chat/completions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("embedded");
        log = router.logFile();
      }
      // close() flushed the log, and the port is free again.
      assertThat(Files.readAllLines(log)).hasSize(1);
    }
  }

  @Test
  void aStartThatFailsLetsGoOfItsPortSoTheNextStartCanTakeIt() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path notADir = Files.writeString(dir.resolve("a-file"), "x");
    String json =
        """
        {"server": {"port": %d}, "logging": {"dir": "%s"},
         "openai": [{"api_key": "sk-embedded-0123456789", "base_url": "http://127.0.0.1:9/v1"}]}
        """;
    RouterConfig broken = ConfigLoader.parse(json.formatted(port, notADir), Map.of());
    RouterConfig good = ConfigLoader.parse(json.formatted(port, dir.resolve("logs")), Map.of());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Router.start(broken))
        .isInstanceOf(java.io.IOException.class);
    try (Router router = Router.start(good)) {
      assertThat(router.port()).isEqualTo(port);
    }
  }

  @Test
  void watchingFromManyThreadsLeavesNoWatcherOnceClosedAndAClosedRouterRefusesBoth()
      throws Exception {
    Path file = dir.resolve("router.json");
    Files.writeString(
        file,
        """
        {"server": {"port": 0}, "logging": {"dir": "%s"},
         "openai": [{"api_key": "sk-embedded-0123456789", "base_url": "http://127.0.0.1:9/v1"}]}
        """
            .formatted(dir.resolve("logs")));
    RouterConfig config = ConfigLoader.load(file, Map.of());
    java.util.Set<Thread> before = watchers();
    Router router = Router.start(config);
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      List<java.util.concurrent.Future<?>> watches = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        watches.add(
            pool.submit(
                () -> {
                  router.watch(file, Map.of());
                  return null;
                }));
      }
      for (var watch : watches) {
        watch.get(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    router.close();

    for (Thread t : watchers()) {
      if (!before.contains(t)) {
        t.join(Duration.ofSeconds(5)); // each one a watch() started was stopped by close()
        assertThat(t.isAlive()).as("%s still watching", t).isFalse();
      }
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.watch(file, Map.of()))
        .isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.reload(config))
        .isInstanceOf(IllegalStateException.class);
  }

  private static java.util.Set<Thread> watchers() {
    java.util.Set<Thread> found = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("config-watcher")) {
        found.add(t);
      }
    }
    return found;
  }

  @Test
  void startFromAConfigBuiltInCodeWithProvidersInPriorityOrder() throws Exception {
    try (FakeUpstream backup = FakeUpstream.start().always(Reply.openAiOk("from backup"));
        FakeUpstream primary =
            FakeUpstream.start().always(Reply.json(503, "{\"error\": {\"message\": \"down\"}}"))) {
      // Given out of order: the config keeps them by priority, primary (1) before backup (2).
      RouterConfig config =
          new RouterConfig(
              ServerSettings.defaults().withPort(0),
              dir.resolve("logs"),
              List.of(
                  ProviderConfig.of(
                          "backup", "sk-backup-0123456789", URI.create(backup.baseUrl() + "/v1"))
                      .withPriority(2),
                  ProviderConfig.of(
                      "primary", "sk-primary-0123456789", URI.create(primary.baseUrl() + "/v1"))),
              List.of());
      assertThat(config.openai())
          .extracting(ProviderConfig::name)
          .containsExactly("primary", "backup");

      try (Router router = Router.start(config)) {
        HttpResponse<String> r = postChat(router, "/openai/v1/chat/completions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("from backup");
        assertThat(r.headers().firstValue("x-router-provider")).hasValue("backup");
      }
      assertThat(primary.requestCount()).isPositive();
    }
  }

  @Test
  void startFromAConfigFile() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start().always(Reply.openAiOk("from file"))) {
      Path file = dir.resolve("llm_router_config.json");
      Files.writeString(
          file,
          """
          {"server": {"port": 0}, "logging": {"dir": "%s"},
           "openai": [{"api_key": "sk-file-0123456789", "base_url": "%s/v1"}]}
          """
              .formatted(dir.resolve("logs"), upstream.baseUrl()));
      try (Router router = Router.start(ConfigLoader.load(file, Map.of()))) {
        HttpResponse<String> r = postChat(router, "/openai/chat/completions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("from file");
      }
    }
  }

  private static HttpResponse<String> postChat(Router router, String path) throws Exception {
    return RouterHarness.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(RouterHarness.OPENAI_CHAT))
            .build());
  }
}
