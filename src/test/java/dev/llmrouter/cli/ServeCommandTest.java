package dev.llmrouter.cli;

import static dev.llmrouter.cli.ConfigFiles.provider;
import static dev.llmrouter.testkit.CliProcess.EXIT;
import static dev.llmrouter.testkit.CliProcess.STARTUP;
import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.llmrouter.testkit.CliProcess;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code serve} in its own JVM: the listen line, flags over the config, SIGTERM, the bind guard.
 */
class ServeCommandTest {

  /** Groups: host, port, openai count, anthropic count, request log file. */
  private static final Pattern LISTENING =
      Pattern.compile(
          "listening on http://(\\S+):(\\d+) \\(openai: (\\d+) providers?, anthropic: (\\d+)"
              + " providers?\\); bodies held at once: at most \\d+ MiB \\(server.max_buffered_bytes\\);"
              + " request log (\\S+)$");

  @TempDir Path work;

  private final FakeUpstream fake = FakeUpstream.start(); // per test: JUnit's instance per method

  @AfterEach
  void stopFake() {
    fake.close();
  }

  /** One OpenAI and one Anthropic provider on the fake, plus {@code server} settings. */
  private Path config(ObjectNode server) throws IOException {
    return config(server, ConfigFiles.root());
  }

  private Path config(ObjectNode server, ObjectNode logging) throws IOException {
    ObjectNode root = ConfigFiles.root();
    root.set("server", server);
    root.set("logging", logging);
    root.putArray("openai").add(provider("fake-openai", fake.baseUrl() + "/v1", 1));
    root.putArray("anthropic").add(provider("fake-anthropic", fake.baseUrl(), 1));
    return ConfigFiles.write(work.resolve("config.json"), root);
  }

  private static String url(Matcher listening, String path) {
    return "http://127.0.0.1:" + listening.group(2) + path;
  }

  @Test
  void servesThenFinishesTheInFlightRequestAndFlushesTheLogOnSigterm() throws Exception {
    fake.enqueue(
        Reply.openAiOk("first answer"),
        Reply.openAiOk("answer in flight at SIGTERM").delayed(Duration.ofMillis(800)));
    Path config = config(ConfigFiles.root().put("shutdown_grace", 5));
    Path logDir = work.resolve("logs-from-flag");

    try (CliProcess serve =
        CliProcess.start(
            work, "serve", "--config", "" + config, "--port", "0", "--log-dir", "" + logDir)) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      // One line at start, ending with the log's path; none of it on stderr.
      assertThat(serve.stdout().lines().toList()).singleElement(STRING).endsWith(".jsonl");
      assertThat(serve.stderr()).doesNotContain("max_buffered_bytes").doesNotContain("listening");
      assertThat(List.of(listening.group(1), listening.group(3), listening.group(4)))
          .containsExactly("127.0.0.1", "1", "1"); // host, openai and anthropic providers
      assertThat(Integer.parseInt(listening.group(2))).isPositive();

      HttpResponse<String> first =
          Http.post(url(listening, "/openai/chat/completions"), OPENAI_CHAT);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertThat(first.headers().firstValue("x-router-provider")).hasValue("fake-openai");
      assertThat(first.body()).contains("first answer");

      CompletableFuture<HttpResponse<String>> inFlight =
          Http.sendAsync(Http.postRequest(url(listening, "/openai/chat/completions"), OPENAI_CHAT));
      // The router has forwarded it and waits for the delayed reply: it is in flight.
      fake.awaitRequest(2, Duration.ofSeconds(5));
      serve.terminate();

      HttpResponse<String> second = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
      assertThat(second.body()).contains("answer in flight at SIGTERM");
      // A clean drain is a clean exit (systemd counts 143 as a failure), said on the console.
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isZero();
      assertThat(serve.stderr())
          .contains("draining: no new requests; 1 in flight, waiting up to 5.0 s")
          .contains("stopped: every request and stream finished; 2 log records written");
      // The request that finished during the drain has its console line too: the JDK's own
      // shutdown hook would have closed the console handler meanwhile.
      assertThat(serve.stderr().split(" INFO 200 openai POST /openai/chat/completions ", -1))
          .as(serve.describe())
          .hasSize(3);

      Path log = Path.of(listening.group(5));
      assertThat(log.getParent()).isEqualTo(logDir);
      assertThat(requestLogs(logDir)).containsExactly(log);
      List<JsonNode> records = records(log);
      assertThat(records)
          .extracting(r -> r.path("request_id").asString())
          .containsExactlyInAnyOrder(
              first.headers().firstValue("x-router-request-id").orElseThrow(),
              second.headers().firstValue("x-router-request-id").orElseThrow());
      assertThat(records).allSatisfy(r -> assertThat(r.path("status").asInt()).isEqualTo(200));
    }
  }

  @Test
  void eachRequestsConsoleLineReachesStderrWhileTheRouterServes() throws Exception {
    // The CLI's console handler leaves the request log's lines to one flush per batch: that flush
    // must come, or the lines would wait in its buffer until the process ends.
    fake.always(Reply.openAiOk());
    Path config = config(ConfigFiles.root());

    try (CliProcess serve = CliProcess.start(work, "serve", "--config", "" + config)) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      Pattern requestLine =
          Pattern.compile(
              "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO 200 openai POST"
                  + " /openai/chat/completions model=\\S+ provider=fake-openai attempts=1 ");
      for (int i = 1; i <= 2; i++) {
        HttpResponse<String> r = Http.post(url(listening, "/openai/chat/completions"), OPENAI_CHAT);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        assertThat(serve.awaitStderrLines(requestLine, i, Duration.ofSeconds(10))).hasSize(i);
      }
    }
  }

  @Test
  void aDrainThatHadToCutAStreamExitsNonZeroAndSaysWhy() throws Exception {
    fake.always(Reply.sse(Sse.openAi("a", "b", "c")).eventGap(Duration.ofSeconds(20)));
    Path config = config(ConfigFiles.root().put("shutdown_grace", 0.2));

    try (CliProcess serve = CliProcess.start(work, "serve", "--config", "" + config)) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      try (SseClient stream =
          SseClient.post(
              URI.create(url(listening, "/openai/chat/completions")),
              "{\"model\":\"m\",\"stream\":true,\"messages\":[]}")) {
        stream.next(Duration.ofSeconds(5)); // committed: the stream is relayed
        serve.terminate();

        assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isEqualTo(1);
        assertThat(serve.stderr()).contains("stopped: requests or streams still running");
      }
    }
  }

  @Test
  void aReloadedShutdownGraceIsTheOneTheDrainWaits() throws Exception {
    fake.always(Reply.sse(Sse.openAi("a", "b", "c")).eventGap(Duration.ofSeconds(20)));
    Path config = config(ConfigFiles.root().put("shutdown_grace", 60));

    try (CliProcess serve = CliProcess.start(work, "serve", "--config", "" + config)) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      config(ConfigFiles.root().put("shutdown_grace", 0.2));
      serve.awaitStderrLines(Pattern.compile("config reloaded"), 1, Duration.ofSeconds(15));
      try (SseClient stream =
          SseClient.post(
              URI.create(url(listening, "/openai/chat/completions")),
              "{\"model\":\"m\",\"stream\":true,\"messages\":[]}")) {
        stream.next(Duration.ofSeconds(5));
        serve.terminate();

        assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isEqualTo(1);
        assertThat(serve.stderr()).contains("waiting up to 0.2 s").doesNotContain("60.0 s");
      }
    }
  }

  @Test
  void flagsOverrideTheConfigFile() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // Each value in the file would fail in its own way: a non-loopback bind without api_keys is
      // refused, the port is taken, and the log would land in config-logs.
      ObjectNode server =
          ConfigFiles.root().put("host", "0.0.0.0").put("port", taken.getLocalPort());
      Path config = config(server, ConfigFiles.root().put("dir", "config-logs"));
      Path logDir = work.resolve("flag-logs");

      try (CliProcess serve =
          CliProcess.start(
              work,
              "serve",
              "--config",
              "" + config,
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--log-dir",
              "" + logDir)) {
        Matcher listening = serve.awaitLine(LISTENING, STARTUP);
        assertThat(listening.group(1)).isEqualTo("127.0.0.1");
        assertThat(Integer.parseInt(listening.group(2)))
            .isPositive()
            .isNotEqualTo(taken.getLocalPort());
        assertThat(Path.of(listening.group(5)).getParent()).isEqualTo(logDir);

        fake.always(Reply.anthropicOk());
        HttpResponse<String> r =
            Http.post(
                url(listening, "/anthropic/v1/messages"),
                ANTHROPIC_MESSAGES,
                "anthropic-version",
                "2023-06-01");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-router-provider")).hasValue("fake-anthropic");

        serve.terminate();
        assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isZero();
        assertThat(records(Path.of(listening.group(5)))).hasSize(1);
        assertThat(work.resolve("config-logs")).doesNotExist();
      }
    }
  }

  @Test
  void refusesANonLoopbackBindWithoutApiKeys() throws Exception {
    Path config = config(ConfigFiles.root());

    try (CliProcess serve =
        CliProcess.start(
            work, "serve", "--config", "" + config, "--host", "0.0.0.0", "--port", "0")) {
      assertThat(serve.awaitExit(STARTUP)).as(serve.describe()).isEqualTo(1);
      assertThat(serve.stderr()).contains("api_keys").contains("--allow-unauthenticated");
      assertThat(serve.stdout()).doesNotContain("listening");
    }
  }

  @Test
  void allowUnauthenticatedStartsOnANonLoopbackHost() throws Exception {
    Path config = config(ConfigFiles.root());

    try (CliProcess serve =
        CliProcess.start(
            work,
            "serve",
            "--config",
            "" + config,
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--allow-unauthenticated")) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      assertThat(listening.group(1)).isEqualTo("0.0.0.0");
      assertThat(serve.stderr()).contains("WARNING");
      // A wildcard bind includes loopback; nothing goes to any other address.
      assertThat(Http.get(url(listening, "/health")).statusCode()).isEqualTo(200);

      serve.terminate();
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isZero();
    }
  }

  @Test
  void startsOnANonLoopbackHostWhenApiKeysAreSet() throws Exception {
    ObjectNode server = ConfigFiles.root().put("host", "0.0.0.0").put("port", 0);
    server.putArray("api_keys").add(ConfigFiles.canary("gateway"));
    Path config = config(server);

    try (CliProcess serve = CliProcess.start(work, "serve", "--config", "" + config)) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      assertThat(listening.group(1)).isEqualTo("0.0.0.0");
      assertThat(Integer.parseInt(listening.group(2))).isPositive();
      assertThat(serve.stderr()).doesNotContain("WARNING");

      serve.terminate();
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isZero();
      assertThat(serve.stdout() + serve.stderr()).doesNotContain(ConfigFiles.canary("gateway"));
    }
  }

  @Test
  void aReloadThatEmptiesTheGatewayKeysOfAPublicBindIsRejected() throws Exception {
    ObjectNode server = ConfigFiles.root().put("host", "0.0.0.0").put("port", 0);
    server.putArray("api_keys").add(ConfigFiles.canary("gateway"));
    Path config = config(server);

    try (CliProcess serve = CliProcess.start(work, "serve", "--config", "" + config)) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      server.remove("api_keys"); // the start refuses this: a reload must not allow it either
      config(server);

      String rejected =
          serve
              .awaitStderrLines(
                  Pattern.compile("config reload rejected"), 1, Duration.ofSeconds(15))
              .get(0);
      assertThat(rejected).contains("server.api_keys").contains("--allow-unauthenticated");
      assertThat(Http.post(url(listening, "/openai/chat/completions"), OPENAI_CHAT).statusCode())
          .isEqualTo(401);
      assertThat(fake.requestCount()).isZero();

      serve.terminate();
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isZero();
      assertThat(serve.stdout() + serve.stderr()).doesNotContain(ConfigFiles.canary("gateway"));
    }
  }

  @Test
  void killedMidLoadEveryLineParsesAndEveryAnsweredRequestHasItsRecord() throws Exception {
    // Replies take a while, so that many requests are in flight when SIGTERM comes.
    fake.always(Reply.openAiOk("under load").delayed(Duration.ofMillis(150)));
    Path config = config(ConfigFiles.root().put("shutdown_grace", 1));
    Path logDir = work.resolve("logs-load");
    List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
    try (CliProcess serve =
        CliProcess.start(
            work, "serve", "--config", "" + config, "--port", "0", "--log-dir", "" + logDir)) {
      Matcher listening = serve.awaitLine(LISTENING, STARTUP);
      String url = url(listening, "/openai/chat/completions");
      java.util.concurrent.CountDownLatch warm = new java.util.concurrent.CountDownLatch(60);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 24; c++) {
        clients.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      // Bounded: at most 40 requests per client, and only until the router is gone.
                      for (int i = 0; i < 40; i++) {
                        try {
                          HttpResponse<String> r = Http.post(url, OPENAI_CHAT);
                          r.headers().firstValue("x-router-request-id").ifPresent(answered::add);
                          warm.countDown();
                        } catch (RuntimeException e) {
                          return; // refused or cut: the router is stopping
                        }
                      }
                    }));
      }
      assertThat(warm.await(20, TimeUnit.SECONDS)).isTrue();
      serve.terminate();
      for (Thread t : clients) {
        assertThat(t.join(Duration.ofSeconds(30))).isTrue();
      }
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isZero();
    }

    List<JsonNode> records = new ArrayList<>();
    for (Path log : requestLogs(logDir)) {
      records.addAll(records(log)); // every line parses, or this throws
    }
    assertThat(answered).hasSizeGreaterThanOrEqualTo(60);
    assertThat(records).extracting(r -> r.path("request_id").asString()).containsAll(answered);
  }

  private static List<Path> requestLogs(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jsonl"))
          .filter(f -> !f.getFileName().toString().endsWith("_errors.jsonl"))
          .toList();
    }
  }

  /** Every line parsed; a line that is not one JSON object fails the test. */
  private static List<JsonNode> records(Path log) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      JsonNode record = Http.json(line);
      assertThat(record.isObject()).as("one JSON object per line: %s", line).isTrue();
      records.add(record);
    }
    return records;
  }
}
