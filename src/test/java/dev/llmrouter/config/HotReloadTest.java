package dev.llmrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.Router;
import dev.llmrouter.testkit.ConsoleCapture;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the config file changes what later requests use, atomically and safely. */
class HotReloadTest {

  @TempDir Path dir;

  private static String config(String providerName, String baseUrl, Path logs) {
    return """
        {"server": {"port": 0, "request_timeout": 5}, "logging": {"dir": "%s"},
         "openai": [{"name": "%s", "api_key": "${KEY}", "base_url": "%s/v1", "timeout": 5}]}
        """
        .formatted(logs, providerName, baseUrl);
  }

  private static HttpResponse<String> chat(Router router) {
    return RouterHarness.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + router.port() + "/openai/chat/completions"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(RouterHarness.OPENAI_CHAT))
            .build());
  }

  private static void replace(Path file, String text) throws IOException {
    // As editors do: write elsewhere, then move over the old file.
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aValidEditIsServedByLaterRequestsWhileInFlightOnesFinishOnTheirConfig() throws Exception {
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path logs = dir.resolve("logs");
    Path file = dir.resolve("config.json");
    try (FakeUpstream oldUpstream = FakeUpstream.start();
        FakeUpstream newUpstream = FakeUpstream.start().always(Reply.openAiOk("new"));
        ConsoleCapture console = ConsoleCapture.start()) {
      oldUpstream.always(Reply.openAiOk("old").delayed(Duration.ofMillis(600)));
      Files.writeString(file, config("old", oldUpstream.baseUrl(), logs));
      try (Router router = Router.start(ConfigLoader.load(file, env))) {
        router.watch(file, env);
        CompletableFuture<HttpResponse<String>> inFlight =
            CompletableFuture.supplyAsync(() -> chat(router));
        oldUpstream.awaitRequest(1, Duration.ofSeconds(5));

        replace(file, config("new", newUpstream.baseUrl(), logs));
        console.await("config reloaded", Duration.ofSeconds(10));

        assertThat(chat(router).body()).contains("\"new\"");
        assertThat(inFlight.get().body()).contains("\"old\"");
        assertThat(router.config().openai().get(0).name()).isEqualTo("new");
      }
    }
  }

  @Test
  void anEditMadeWhileTheRouterStartsIsReadAtTheFirstCheck() throws Exception {
    // serve reads the file, then binds and starts, then watches: a change in between (a ConfigMap
    // updated as the pod starts) used to be taken for the running version until the next edit.
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path logs = dir.resolve("logs");
    Path file = dir.resolve("config.json");
    try (FakeUpstream first = FakeUpstream.start();
        FakeUpstream later = FakeUpstream.start();
        ConsoleCapture console = ConsoleCapture.start()) {
      Files.writeString(file, config("first", first.baseUrl(), logs));
      ConfigWatcher.Version read = ConfigWatcher.versionOf(file);
      RouterConfig running = ConfigLoader.load(file, env);
      replace(file, config("later-edit", later.baseUrl(), logs));
      try (Router router = Router.start(running)) {
        router.watch(file, env, java.util.function.UnaryOperator.identity(), read);

        console.await("config reloaded", Duration.ofSeconds(10));
        assertThat(router.config().openai().get(0).name()).isEqualTo("later-edit");
      }
    }
  }

  @Test
  void aKeyReadFromAFileIsRotatedByAHotReloadWithoutARestart() throws Exception {
    Path credentials = Files.createDirectories(dir.resolve("credentials"));
    Path keyFile = credentials.resolve("openai");
    Files.writeString(keyFile, "sk-first-key-0123456789\n");
    Path file = dir.resolve("config.json");
    try (FakeUpstream upstream = FakeUpstream.start().always(Reply.openAiOk("ok"));
        ConsoleCapture console = ConsoleCapture.start()) {
      String text =
          config("p", upstream.baseUrl(), dir.resolve("logs"))
              .replace("${KEY}", "${file:" + keyFile + "}");
      Files.writeString(file, text);
      try (Router router = Router.start(ConfigLoader.load(file, Map.of()))) {
        router.watch(file, Map.of());
        chat(router);
        assertThat(upstream.awaitRequest(1, Duration.ofSeconds(5)).header("authorization"))
            .isEqualTo("Bearer sk-first-key-0123456789");

        // The platform writes the new key; a reload (here: the config file touched) reads it.
        Files.writeString(keyFile, "sk-second-key-0123456789\n");
        replace(file, text);
        console.await("config reloaded", Duration.ofSeconds(10));
        chat(router);

        assertThat(upstream.awaitRequest(2, Duration.ofSeconds(5)).header("authorization"))
            .isEqualTo("Bearer sk-second-key-0123456789");
        assertThat(String.join("\n", console.lines())).doesNotContain("sk-second-key");
      }
    }
  }

  @Test
  void whatTheCommandLineSetOverTheFileIsKeptOnReloadAndNeverReportedAsChanged() throws Exception {
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path file = dir.resolve("config.json");
    Path flagLogs = dir.resolve("flag-logs");
    try (FakeUpstream upstream = FakeUpstream.start();
        ConsoleCapture console = ConsoleCapture.start()) {
      // The file says port 0 and logs/, the "command line" says another log folder.
      Files.writeString(file, config("one", upstream.baseUrl(), dir.resolve("logs")));
      java.util.function.UnaryOperator<RouterConfig> flags = c -> c.withLogDir(flagLogs);
      try (Router router = Router.start(flags.apply(ConfigLoader.load(file, env)))) {
        router.watch(file, env, flags);

        replace(file, config("two", upstream.baseUrl(), dir.resolve("logs")));
        String line = console.await("config reloaded", Duration.ofSeconds(10));

        assertThat(line).doesNotContain("restart");
        assertThat(router.config().logDir()).isEqualTo(flagLogs);
        assertThat(router.config().openai().get(0).name()).isEqualTo("two");
      }
    }
  }

  @Test
  void aReloadSaysWhatChangedAndARevertToTheRunningPortNeedsNoRestart() throws Exception {
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path logs = dir.resolve("logs");
    Path file = dir.resolve("config.json");
    try (FakeUpstream upstream = FakeUpstream.start();
        ConsoleCapture console = ConsoleCapture.start()) {
      String start = config("one", upstream.baseUrl(), logs);
      Files.writeString(file, start);
      try (Router router = Router.start(ConfigLoader.load(file, env))) {
        router.watch(file, env);

        // A new key for "one", a provider "two", another port, metadata-only logs.
        String edited =
            """
            {"server": {"port": 8123, "request_timeout": 5},
             "logging": {"dir": "%s", "bodies": "none"},
             "openai": [{"name": "one", "api_key": "sk-rotated-canary-987654",
                         "base_url": "%s/v1", "timeout": 5},
                        {"name": "two", "api_key": "${KEY}", "base_url": "%s/v1"}]}
            """
                .formatted(logs, upstream.baseUrl(), upstream.baseUrl());
        replace(file, edited);
        String changed = console.await("config reloaded", 1, Duration.ofSeconds(10));

        assertThat(changed)
            .contains("providers added: openai/two")
            .contains("providers changed: openai/one (api_key)")
            .contains("settings changed: logging.bodies")
            .contains("need a restart to take effect: server.port (running: 0, bound to ")
            .doesNotContain("sk-rotated")
            .doesNotContain("sk-reload");
        assertThat(console.leveled()).anyMatch(l -> l.startsWith("WARNING config reloaded"));

        // Back to the running port: the restart notice goes; "two" goes too.
        replace(file, start);
        String reverted = console.await("config reloaded", 2, Duration.ofSeconds(10));

        assertThat(reverted)
            .contains("providers removed: openai/two")
            .contains("providers changed: openai/one (api_key)")
            .doesNotContain("restart");
      }
    }
  }

  /**
   * The request log in the config's own folder changes with every request; a revoked gateway key
   * must stop working within 2 s all the same.
   */
  @Test
  void anEditAppliesWithinTwoSecondsWhileRequestsKeepWritingTheLogInTheSameFolder()
      throws Exception {
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path file = dir.resolve("config.json");
    String keyed =
        """
        {"server": {"port": 0, "api_keys": ["%s"]}, "logging": {"dir": "%s"},
         "openai": [{"name": "p", "api_key": "${KEY}", "base_url": "%s/v1"}]}
        """;
    try (FakeUpstream upstream = FakeUpstream.start()) {
      Files.writeString(file, keyed.formatted("gw-old-key-123", dir, upstream.baseUrl()));
      try (Router router = Router.start(ConfigLoader.load(file, env))) {
        router.watch(file, env);
        HttpRequest.Builder request =
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + router.port() + "/openai/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer gw-old-key-123")
                .POST(HttpRequest.BodyPublishers.ofString(RouterHarness.OPENAI_CHAT));
        assertThat(RouterHarness.send(request.build()).statusCode()).isEqualTo(200);

        replace(file, keyed.formatted("gw-new-key-456", dir, upstream.baseUrl()));
        long revoked = System.nanoTime();
        int status = 200;
        // Requests keep coming (each one writes the log beside the config) until the old key fails.
        while (status == 200 && System.nanoTime() - revoked < Duration.ofSeconds(5).toNanos()) {
          status = RouterHarness.send(request.build()).statusCode();
        }

        assertThat(status).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void anInvalidEditIsRejectedWithItsProblemsAndTheOldConfigKeepsServing() throws Exception {
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path logs = dir.resolve("logs");
    Path file = dir.resolve("config.json");
    try (FakeUpstream upstream = FakeUpstream.start().always(Reply.openAiOk("kept"));
        ConsoleCapture console = ConsoleCapture.start()) {
      Files.writeString(file, config("kept", upstream.baseUrl(), logs));
      try (Router router = Router.start(ConfigLoader.load(file, env))) {
        router.watch(file, env);

        replace(
            file,
            "{\"openai\": [{\"api_key\": \"x\", \"base_url\": \"ftp://nope\", \"tiemout\": 1}]}");
        String line = console.await("config reload rejected", Duration.ofSeconds(10));

        assertThat(line).contains("openai[0].base_url").contains("openai[0].tiemout");
        assertThat(chat(router).body()).contains("\"kept\"");
        assertThat(String.join("\n", console.lines())).doesNotContain("sk-reload-canary");
      }
    }
  }

  private static String metrics(Router router) {
    return RouterHarness.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build())
        .body();
  }

  private static double loadedAt(String metrics) {
    String name = "llm_router_config_loaded_timestamp_seconds ";
    return Double.parseDouble(
        metrics
            .lines()
            .filter(l -> l.startsWith(name))
            .findFirst()
            .orElseThrow()
            .substring(name.length()));
  }

  /** An alert on a config push that did not take needs to see it: /metrics counts reloads. */
  @Test
  void metricsCountAppliedAndRejectedReloadsAndSayWhetherTheLastOneTook() throws Exception {
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path logs = dir.resolve("logs");
    Path file = dir.resolve("config.json");
    try (FakeUpstream upstream = FakeUpstream.start();
        ConsoleCapture console = ConsoleCapture.start()) {
      Files.writeString(file, config("one", upstream.baseUrl(), logs));
      try (Router router = Router.start(ConfigLoader.load(file, env))) {
        router.watch(file, env);
        String start = metrics(router);
        double startedAt = loadedAt(start);
        assertThat(start)
            .contains("llm_router_config_reloads_total{result=\"applied\"} 0\n")
            .contains("llm_router_config_reloads_total{result=\"rejected\"} 0\n")
            .contains("llm_router_config_last_reload_successful 1\n");

        replace(file, "{\"openai\": [{\"api_key\": \"x\", \"base_url\": \"ftp://nope\"}]}");
        console.await("config reload rejected", Duration.ofSeconds(10));

        assertThat(metrics(router))
            .contains("llm_router_config_reloads_total{result=\"applied\"} 0\n")
            .contains("llm_router_config_reloads_total{result=\"rejected\"} 1\n")
            .contains("llm_router_config_last_reload_successful 0\n");

        replace(file, config("two", upstream.baseUrl(), logs));
        console.await("config reloaded", Duration.ofSeconds(10));

        String after = metrics(router);
        assertThat(after)
            .contains("llm_router_config_reloads_total{result=\"applied\"} 1\n")
            .contains("llm_router_config_reloads_total{result=\"rejected\"} 1\n")
            .contains("llm_router_config_last_reload_successful 1\n");
        // A reload comes at least 150 ms after the edit: the time the config was loaded moved on.
        assertThat(loadedAt(after))
            .isGreaterThan(startedAt)
            .isLessThanOrEqualTo(System.currentTimeMillis() / 1000.0);
      }
    }
  }

  @Test
  void providerStateSurvivesAReloadWhenNameAndBaseUrlStay() throws Exception {
    Map<String, String> env = Map.of("KEY", "sk-reload-canary-123456");
    Path logs = dir.resolve("logs");
    Path file = dir.resolve("config.json");
    try (FakeUpstream upstream = FakeUpstream.start();
        ConsoleCapture console = ConsoleCapture.start()) {
      upstream.always(
          Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
              .withHeader("retry-after", "60"));
      Files.writeString(file, config("same", upstream.baseUrl(), logs));
      try (Router router = Router.start(ConfigLoader.load(file, env))) {
        router.watch(file, env);
        assertThat(chat(router).statusCode()).isEqualTo(429);

        // Same provider, another timeout: the cooldown must still hold.
        replace(
            file,
            config("same", upstream.baseUrl(), logs).replace("\"timeout\": 5", "\"timeout\": 7"));
        console.await("config reloaded", Duration.ofSeconds(10));

        HttpResponse<String> r = chat(router);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("cooling down");
        assertThat(upstream.requestCount()).isEqualTo(1);
      }
    }
  }

  @Test
  void aKeyChangedBackOrAProviderAddedAgainStartsFreshNotWithItsOldCooldown() throws Exception {
    Path logs = dir.resolve("logs");
    try (FakeUpstream upstream = FakeUpstream.start()) {
      upstream.always(
          Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
              .withHeader("retry-after", "300"));
      String json = config("p", upstream.baseUrl(), logs);
      RouterConfig first = ConfigLoader.parse(json, Map.of("KEY", "sk-first-key-0123456789"));
      RouterConfig second = ConfigLoader.parse(json, Map.of("KEY", "sk-second-key-012345678"));
      try (Router router = Router.start(first)) {
        assertThat(chat(router).statusCode()).isEqualTo(429); // the first key cools for 300 s

        router.reload(second); // a changed key: fresh, tried at once
        assertThat(chat(router).statusCode()).isEqualTo(429);
        router.reload(first); // and back: fresh again, not the first key's old cooldown
        assertThat(chat(router).statusCode()).isEqualTo(429);

        assertThat(upstream.requestCount()).isEqualTo(3);
      }
    }
  }
}
