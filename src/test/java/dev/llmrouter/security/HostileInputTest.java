package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Hostile bytes on the router's port, sent raw: each gets a 4xx or a closed connection, never a 2xx
 * and never a stack trace, and the router answers a valid request right after. Some are answered by
 * the JDK server before the router sees them; the comments on each case say who answers.
 */
class HostileInputTest {

  private static final String CHAT = "/openai/chat/completions";
  private static final String MESSAGES = "/anthropic/v1/messages";

  /** No status line: the connection was closed (or reset) without an answer. */
  private static final int CLOSED = 0;

  /** Quick on loopback; a request that hangs fails on the read timeout instead of blocking. */
  private static final RawHttp.Options HOSTILE =
      RawHttp.Options.DEFAULT.readTimeout(Duration.ofSeconds(3)).settle(Duration.ofMillis(100));

  /** The configured upstream. */
  private static FakeUpstream fake;

  /** Where a hostile request tries to send the router; must never hear from it. */
  private static FakeUpstream elsewhere;

  private static RouterHarness router;

  /** The router's console; held here so the logger (and its handler) cannot be collected. */
  private static final Logger CONSOLE = Logger.getLogger("llm-api-router");

  /** Warnings and errors on the console: hostile input is expected, never a router fault. */
  private static final List<String> ALARMS = new CopyOnWriteArrayList<>();

  private static final Handler ALARM_CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            ALARMS.add(record.getLevel() + " " + record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void start() {
    CONSOLE.addHandler(ALARM_CAPTURE);
    fake = FakeUpstream.start();
    elsewhere = FakeUpstream.start();
    router = RouterHarness.builder().openai("oa", fake).anthropic("an", fake).start();
  }

  @AfterAll
  static void stop() {
    CONSOLE.removeHandler(ALARM_CAPTURE);
    router.close();
    elsewhere.close();
    fake.close();
  }

  @AfterEach
  void nothingReachedTheOtherHostAndNothingAlarmedTheConsole() {
    assertThat(elsewhere.received()).as("requests at the host nobody configured").isEmpty();
    List<String> alarms = List.copyOf(ALARMS);
    ALARMS.clear();
    assertThat(alarms).as("console warnings and errors").isEmpty();
  }

  // ---------------------------------------------------------------- the cases

  /**
   * One hostile payload.
   *
   * @param payload the bytes to send, one char per byte (ISO-8859-1)
   * @param expect the status observed on Temurin 25, or {@link #CLOSED}
   * @param finish the client half-closes after sending: it has nothing more to send (the held-open
   *     variants of the unfinished ones are in {@link #heldOpenGarbageIsCutByTheRequestTime})
   * @param logged the router itself answers it, so it leaves a request record
   */
  record Hostile(String name, String payload, int expect, boolean finish, boolean logged) {
    byte[] bytes() {
      return latin1(payload);
    }

    RawHttp.Options options() {
      return HOSTILE.finishSending(finish);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Hostile refused(String name, String request, int expect) {
    return new Hostile(name, request, expect, false, false);
  }

  private static Hostile logged(String name, String request, int expect) {
    return new Hostile(name, request, expect, false, true);
  }

  private static Hostile unfinished(String name, String request) {
    return new Hostile(name, request, CLOSED, true, false);
  }

  static List<Hostile> hostile() {
    String ok = OPENAI_CHAT;
    String okLength = "Content-Length: " + ok.length() + "\r\n";
    List<Hostile> all = new ArrayList<>();

    // Request lines. The JDK refuses lines without two spaces; the router refuses versions that
    // are not HTTP/1.x (the JDK would serve them as HTTP/1.1).
    all.add(refused("garbage request line", "GARBAGE\r\n\r\n", 400));
    all.add(refused("request line without a version", "GET /health\r\n\r\n", 400));
    all.add(refused("HTTP/9.9", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n", 400));
    all.add(refused("version that is not HTTP", "GET /health FOO/1\r\nHost: x\r\n\r\n", 400));
    all.add(refused("HTTP/2.0 in an HTTP/1 line", "GET /health HTTP/2.0\r\nHost: x\r\n\r\n", 400));
    all.add(refused("empty request target", "GET  /health HTTP/1.1\r\nHost: x\r\n\r\n", 404));
    all.add(refused("unknown method on a page", "BREW /health HTTP/1.1\r\nHost: x\r\n\r\n", 405));
    all.add(refused("unknown method on the proxy", post("PURGE", CHAT, "", ok), 405));
    all.add(refused("TRACE on the proxy", "TRACE " + CHAT + " HTTP/1.1\r\nHost: x\r\n\r\n", 405));
    all.add(refused("NUL in the method", "G\0ET /health HTTP/1.1\r\nHost: x\r\n\r\n", 405));
    all.add(
        refused(
            "CONNECT tunnel request",
            "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n",
            400));

    // Content-Length. The JDK refuses what Long.parseLong refuses and negatives; the router
    // refuses a sign, which the JDK would accept.
    all.add(refused("non-numeric Content-Length", length("abc", ok), 400));
    all.add(refused("negative Content-Length", length("-1", ok), 400));
    all.add(refused("Content-Length with a plus sign", length("+" + ok.length(), ok), 400));
    all.add(refused("Content-Length beyond a long", length("99999999999999999999", ok), 400));
    all.add(logged("Content-Length of 2^63-1", length(Long.toString(Long.MAX_VALUE), ok), 413));
    all.add(
        refused(
            "two different Content-Lengths",
            head(CHAT) + okLength + "Content-Length: 3\r\n\r\n" + ok,
            400));
    all.add(
        refused(
            "Content-Length and Transfer-Encoding",
            head(CHAT) + okLength + "Transfer-Encoding: chunked\r\n\r\n" + chunk(ok) + "0\r\n\r\n",
            400));
    all.add(
        unfinished(
            "body shorter than its Content-Length",
            head(CHAT) + "Content-Length: 1000\r\n\r\n" + ok));

    // Chunked bodies. The JDK's decoder fails on these while the router reads the body, and
    // the exchange ends with the connection closed.
    all.add(refused("chunk size not hex", chunked("zz\r\n" + ok + "\r\n0\r\n\r\n"), CLOSED));
    all.add(refused("negative chunk size", chunked("-5\r\nabcde\r\n0\r\n\r\n"), CLOSED));
    all.add(
        refused(
            "chunk size past the int range",
            chunked("80000000\r\n" + ok + "\r\n0\r\n\r\n"),
            CLOSED));
    all.add(
        refused(
            "chunk size of 16 hex digits",
            chunked("ffffffffffffffff\r\n" + ok + "\r\n0\r\n\r\n"),
            CLOSED));
    all.add(
        refused(
            "chunk data longer than its size", chunked("3\r\n" + ok + "\r\n0\r\n\r\n"), CLOSED));
    all.add(unfinished("chunked body without its last chunk", chunked(chunk(ok))));

    // NUL and control bytes. Header values reach the router unchecked; it refuses those its
    // HTTP client could not forward.
    all.add(refused("NUL in the path", "GET /hea\0lth HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    all.add(refused("NUL in a header name", post("POST", CHAT, "X-A\0b: 1\r\n", ok), 400));
    all.add(logged("NUL in a header value", post("POST", CHAT, "X-Ab: 1\0 2\r\n", ok), 400));
    all.add(
        logged(
            "control byte in a header value", post("POST", CHAT, "X-Ab: a\u0001b\r\n", ok), 400));
    all.add(
        logged(
            "raw NUL inside a JSON string",
            post("POST", CHAT, "", "{\"model\":\"gpt\0\",\"messages\":[]}"),
            400));

    // Paths: matched exactly on the raw path, so anything unusual is a 404 (or the JDK's 400
    // for what java.net.URI refuses).
    all.add(
        refused(
            "invalid UTF-8 bytes in the path", post("POST", "/openai/\u00ff\u00fe", "", ok), 404));
    all.add(refused("percent-encoded invalid UTF-8", post("POST", "/openai/%ff%fe", "", ok), 404));
    all.add(
        refused(
            "overlong UTF-8 slash", post("POST", "/openai%c0%afchat/completions", "", ok), 404));
    all.add(
        refused(
            "/../ in the path", post("POST", "/openai/../openai/chat/completions", "", ok), 404));
    all.add(refused("%2e%2e in the path", post("POST", "/openai/%2e%2e" + CHAT, "", ok), 404));
    all.add(refused("%2f in the path", post("POST", "/openai%2fchat%2fcompletions", "", ok), 404));
    all.add(
        refused(
            "traversal out of the anthropic prefix",
            post("POST", "/anthropic/v1/../../openai/chat/completions", "", ok),
            404));
    all.add(
        refused(
            "backslashes in the path",
            post("POST", "/openai\\..\\chat\\completions", "", ok),
            400));

    // Other protocols on the plain port.
    all.add(unfinished("TLS ClientHello", tlsClientHello()));
    all.add(new Hostile("HTTP/2 preface and SETTINGS", http2Preface(), 404, false, false));

    // Sizes: the router's maxReqHeaderSize (32 KiB) closes the first two; the JDK's
    // maxReqHeaders (200) the third.
    all.add(
        refused(
            "70 KB URL", "GET /" + "a".repeat(70 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n", CLOSED));
    all.add(
        refused(
            "200 KB header",
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(200 * 1024) + "\r\n\r\n",
            CLOSED));
    all.add(refused("5,000 headers", manyHeaders(5_000), CLOSED));

    // Bodies the router refuses itself (more of them, in both dialects, below).
    all.add(logged("invalid JSON body", post("POST", CHAT, "", "{\"model\":"), 400));
    all.add(logged("empty body", post("POST", CHAT, "", ""), 400));
    all.add(logged("JSON array body", post("POST", CHAT, "", "[" + ok + "]"), 400));
    all.add(
        logged(
            "stream as a string",
            post("POST", CHAT, "", withField(ok, "stream", "\"true\"")),
            400));
    return all;
  }

  // ---------------------------------------------------------------- one by one

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileBytesAreRefusedAndTheRouterServesRightAfter(Hostile c) {
    int upstreamBefore = fake.requestCount();

    RawHttp.Answer answer = RawHttp.exchange(router.router().port(), c.bytes(), c.options());

    assertThat(refusal(c, answer)).isNull();
    assertThat(fake.requestCount()).as("upstream calls").isEqualTo(upstreamBefore);
    assertServesValid(router);
  }

  /**
   * Null when {@code answer} is what {@code c} expects and what every hostile payload must get: a
   * 4xx or a closed connection, no stack trace; else what is wrong.
   */
  private static String refusal(Hostile c, RawHttp.Answer answer) {
    String seen =
        c.name()
            + ": status "
            + answer.status()
            + (answer.closed() ? ", closed: " : ", left open: ")
            + abbreviate(answer.text());
    if (answer.status() == CLOSED && !answer.closed()) {
      return "no answer and the connection left open; " + seen;
    }
    if (answer.status() != CLOSED && (answer.status() < 400 || answer.status() > 499)) {
      return "not a 4xx; " + seen;
    }
    if (answer.status() != c.expect()) {
      return "expected " + (c.expect() == CLOSED ? "a close" : c.expect()) + "; " + seen;
    }
    if (hasStackTrace(answer.text())) {
      return "stack trace in the answer; " + seen;
    }
    return null;
  }

  /**
   * The JDK's own 400 pages name the exception behind them ("NumberFormatException thrown"): a
   * class name, no trace, and written before the router sees the request. Anything else that looks
   * like an exception fails.
   */
  private static boolean hasStackTrace(String text) {
    String rest =
        text.replace("<h1>400 Bad Request</h1>NumberFormatException thrown", "")
            .replace("<h1>400 Bad Request</h1>URISyntaxException thrown", "");
    return Stream.of("Exception", "at java.", "at dev.", "\tat ").anyMatch(rest::contains);
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace("\r\n", " | ");
    return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
  }

  private static void assertServesValid(RouterHarness target) {
    HttpResponse<String> r = target.post(CHAT, OPENAI_CHAT);
    assertThat(r.statusCode()).as("a valid request right after").isEqualTo(200);
    assertThat(r.body()).contains("chat.completion");
  }

  // ---------------------------------------------------------------- bodies: native 400s

  static Stream<Arguments> badBodies() {
    List<String> notJson =
        List.of(
            "{\"model\":",
            "{model:\"gpt-4o-mini\"}",
            "{\"model\":\"gpt-4o-mini\",}",
            "not json",
            "{\"model\":\"x\"}}",
            "{}{}",
            "{\"model\":\"\u0000\"}");
    List<String> notAnObject =
        List.of("[]", "[{\"model\":\"x\"}]", "\"text\"", "42", "null", "true");
    List<String> badStream = List.of("\"true\"", "\"false\"", "1", "0", "{}", "[]", "\"yes\"");
    List<Arguments> out = new ArrayList<>();
    for (String path : List.of(CHAT, MESSAGES)) {
      String valid = path.equals(CHAT) ? OPENAI_CHAT : ANTHROPIC_MESSAGES;
      out.add(Arguments.of(path, "(empty)", ""));
      notJson.forEach(b -> out.add(Arguments.of(path, b, b)));
      notAnObject.forEach(b -> out.add(Arguments.of(path, b, b)));
      badStream.forEach(
          s -> out.add(Arguments.of(path, "stream " + s, withField(valid, "stream", s))));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badBodies")
  void bodiesThatAreNotAJsonObjectWithABooleanStreamGetANative400(
      String path, String label, String body) {
    int upstreamBefore = fake.requestCount();

    HttpResponse<String> r = router.post(path, body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(r.body());
    if (path.equals(CHAT)) {
      assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
    } else {
      assertThat(error.path("type").asString()).isEqualTo("error");
      assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
    }
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(hasStackTrace(r.body())).as(r.body()).isFalse();
    assertThat(fake.requestCount()).as("upstream calls").isEqualTo(upstreamBefore);
    assertServesValid(router);
  }

  @Test
  void aNullStreamIsTheSameAsNoStream() {
    // The OpenAI schema declares stream nullable; null is the one non-boolean that is accepted.
    HttpResponse<String> r = router.post(CHAT, withField(OPENAI_CHAT, "stream", "null"));

    assertThat(r.statusCode()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- where the request goes

  /**
   * A way a client could try to choose the upstream host.
   *
   * @param request the raw request, given the other host's base URL
   */
  record HostOverride(String name, Function<String, String> request) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<HostOverride> hostOverrides() {
    return List.of(
        new HostOverride(
            "api_base in the body",
            other -> request(CHAT, "", withField(OPENAI_CHAT, "api_base", quoted(other + "/v1")))),
        new HostOverride(
            "base_url in the body",
            other -> request(CHAT, "", withField(OPENAI_CHAT, "base_url", quoted(other + "/v1")))),
        new HostOverride(
            "Host header", other -> request(CHAT, "Host: " + hostPort(other) + "\r\n")),
        new HostOverride(
            "X-Forwarded-Host and friends",
            other ->
                request(
                    CHAT,
                    "X-Forwarded-Host: "
                        + hostPort(other)
                        + "\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: "
                        + URI.create(other).getPort()
                        + "\r\nForwarded: host="
                        + hostPort(other)
                        + "\r\nX-Original-URL: "
                        + other
                        + CHAT
                        + "\r\nX-Rewrite-URL: "
                        + other
                        + CHAT
                        + "\r\n")),
        new HostOverride(
            "query parameters",
            other ->
                request(
                    CHAT + "?api_base=" + other + "&base_url=" + other + "&host=" + hostPort(other),
                    "")),
        new HostOverride("absolute-form request target", other -> request(other + CHAT, "")),
        new HostOverride(
            "network-path request target", other -> request("//" + hostPort(other) + CHAT, "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostOverrides")
  void nothingInTheRequestChangesWhichHostIsCalled(HostOverride override) {
    int upstreamBefore = fake.requestCount();

    RawHttp.Answer answer =
        RawHttp.exchange(
            router.router().port(), latin1(override.request().apply(elsewhere.baseUrl())), HOSTILE);

    assertThat(answer.status()).as(abbreviate(answer.text())).isEqualTo(200);
    Received got = fake.awaitRequest(upstreamBefore + 1, Duration.ofSeconds(5));
    assertThat(got.header("host")).isEqualTo("127.0.0.1:" + fake.port());
    assertThat(got.target()).startsWith("/v1/chat/completions");
    assertThat(elsewhere.received()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void anUpstreamRedirectIsNotFollowed(int status) {
    fake.enqueue(
        Reply.json(status, "{}")
            .withHeader("Location", elsewhere.baseUrl() + "/v1/chat/completions"));
    int upstreamBefore = fake.requestCount();

    HttpResponse<String> r = router.post(CHAT, OPENAI_CHAT);

    // FailureClassifier: a 3xx moves to the next provider; with none left the router answers 502.
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("1");
    assertThat(r.body()).doesNotContain(elsewhere.baseUrl());
    assertThat(fake.requestCount()).isEqualTo(upstreamBefore + 1);
    assertThat(elsewhere.received()).isEmpty();
    assertServesValid(router);
  }

  // ---------------------------------------------------------------- all at once

  @Test
  void allAtOnceEveryHostileIsRefusedAndOnlyValidRequestsReachUpstreamAndTheLog()
      throws InterruptedException {
    int rounds = 2;
    int valid = 10;
    List<Hostile> cases = hostile();
    try (FakeUpstream upstream = FakeUpstream.start()) {
      RouterHarness own = RouterHarness.builder().openai("oa", upstream).start();
      List<String> log;
      try {
        List<Callable<String>> tasks = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          for (Hostile c : cases) {
            tasks.add(
                () -> refusal(c, RawHttp.exchange(own.router().port(), c.bytes(), c.options())));
          }
        }
        for (int i = 0; i < valid; i++) {
          tasks.add(
              () -> {
                HttpResponse<String> r = own.post(CHAT, OPENAI_CHAT);
                return r.statusCode() == 200 ? null : "valid request got " + r.statusCode();
              });
        }
        assertThat(runBounded(tasks, 16, Duration.ofSeconds(30))).isEmpty();
        assertServesValid(own);
      } finally {
        log = own.closeAndReadLog();
      }

      long loggedHostile = cases.stream().filter(Hostile::logged).count() * rounds;
      List<Integer> statuses =
          log.stream().map(line -> Json.MAPPER.readTree(line).path("status").asInt()).toList();
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(valid + 1L);
      assertThat(statuses).hasSize((int) (valid + 1 + loggedHostile));
      assertThat(upstream.requestCount()).as("upstream calls").isEqualTo(valid + 1);
    }
  }

  /** Runs every task on at most {@code threads} virtual threads; returns each non-null result. */
  private static List<String> runBounded(
      List<Callable<String>> tasks, int threads, Duration timeout) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofVirtual().factory());
    List<Future<String>> futures;
    try {
      futures = pool.invokeAll(tasks, timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      pool.shutdownNow();
    }
    if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new AssertionError("raw clients still running");
    }
    List<String> failures = new ArrayList<>();
    for (Future<String> f : futures) {
      if (f.isCancelled()) {
        failures.add("not done within " + timeout);
        continue;
      }
      try {
        String failure = f.get();
        if (failure != null) {
          failures.add(failure);
        }
      } catch (ExecutionException e) {
        failures.add(String.valueOf(e.getCause()));
      }
    }
    return failures;
  }

  // ---------------------------------------------------------------- held open

  /**
   * The unfinished payloads again, but the client then waits, as a TLS client or a slowloris does.
   * Only {@code maxReqTime} ends these, and the router's 60 s cannot be waited out here: a child
   * JVM gets 1 s from its "embedding program", which also shows the router keeps a value it was
   * given.
   */
  @Test
  void heldOpenGarbageIsCutByTheRequestTime() throws InterruptedException {
    try (ChildRouter child =
        ChildRouter.start(fake.baseUrl() + "/v1", "-Dsun.net.httpserver.maxReqTime=1")) {
      RawHttp.Options held =
          RawHttp.Options.DEFAULT.readTimeout(Duration.ofSeconds(8)).finishSending(false);
      List<Hostile> cases =
          List.of(
              new Hostile("TLS ClientHello, held", tlsClientHello(), CLOSED, false, false),
              new Hostile(
                  "body shorter than Content-Length, held",
                  head(CHAT) + "Content-Length: 1000\r\n\r\n" + OPENAI_CHAT,
                  CLOSED,
                  false,
                  false),
              new Hostile(
                  "chunked body never ending, held",
                  chunked(chunk(OPENAI_CHAT)),
                  CLOSED,
                  false,
                  false),
              new Hostile(
                  "headers never ending, held",
                  "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n",
                  CLOSED,
                  false,
                  false),
              new Hostile(
                  "request line never ending, held",
                  "GET /" + "a".repeat(100),
                  CLOSED,
                  false,
                  false));
      List<Callable<String>> tasks = new ArrayList<>();
      for (Hostile c : cases) {
        tasks.add(() -> refusal(c, RawHttp.exchange(child.port(), c.bytes(), held)));
      }

      assertThat(runBounded(tasks, cases.size(), Duration.ofSeconds(15))).isEmpty();
      HttpResponse<String> r =
          RouterHarness.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port() + CHAT))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(OPENAI_CHAT))
                  .build());
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theRouterSetsItsJdkServerLimitsWhereNobodyElseDid() {
    // Nothing in this test JVM sets them, so the router's defaults are the ones in force.
    assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("60");
    assertThat(System.getProperty("sun.net.httpserver.maxReqHeaderSize")).isEqualTo("32768");
    assertThat(System.getProperty("sun.net.httpserver.maxRspTime"))
        .as("would cut streams")
        .isNull();
  }

  // ---------------------------------------------------------------- payload builders

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String head(String path) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  }

  private static String post(String method, String path, String extraHeaders, String body) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + extraHeaders
        + "Content-Length: "
        + body.getBytes(StandardCharsets.ISO_8859_1).length
        + "\r\n\r\n"
        + body;
  }

  private static String length(String contentLength, String body) {
    return head(CHAT) + "Content-Length: " + contentLength + "\r\n\r\n" + body;
  }

  private static String chunked(String chunks) {
    return head(CHAT) + "Transfer-Encoding: chunked\r\n\r\n" + chunks;
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  private static String manyHeaders(int n) {
    StringBuilder b = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < n; i++) {
      b.append("X-H").append(i).append(": v\r\n");
    }
    return b.append("\r\n").toString();
  }

  private static String hostPort(String baseUrl) {
    URI uri = URI.create(baseUrl);
    return uri.getHost() + ":" + uri.getPort();
  }

  /** {@code json} (an object) with {@code name} added first at its top level. */
  private static String withField(String json, String name, String rawValue) {
    return "{" + quoted(name) + ":" + rawValue + "," + json.substring(1);
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  private static String request(String target, String extraHeaders) {
    return request(target, extraHeaders, OPENAI_CHAT);
  }

  private static String request(String target, String extraHeaders, String body) {
    String host = extraHeaders.startsWith("Host:") ? "" : "Host: 127.0.0.1\r\n";
    return "POST "
        + target
        + " HTTP/1.1\r\n"
        + host
        + extraHeaders
        + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  /**
   * A TLS 1.2 ClientHello record for "localhost" with fixed "random" bytes: deterministic, and free
   * of CR LF, so the JDK server never finds the end of a request line in it.
   */
  private static String tlsClientHello() {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.write(0x03);
    hello.write(0x03); // client_version TLS 1.2
    for (int i = 0; i < 32; i++) {
      hello.write(0x20 + i); // random
    }
    hello.write(0); // session id length
    writeBytes(hello, 0x00, 0x04, 0xc0, 0x2f, 0x00, 0x9c); // two cipher suites
    writeBytes(hello, 0x01, 0x00); // compression: null
    byte[] host = latin1("localhost");
    int sniLength = host.length + 5;
    writeBytes(hello, 0x00, sniLength + 4); // extensions length
    writeBytes(hello, 0x00, 0x00, 0x00, sniLength); // server_name
    writeBytes(hello, 0x00, host.length + 3, 0x00, 0x00, host.length);
    hello.writeBytes(host);
    byte[] body = hello.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    writeBytes(record, 0x16, 0x03, 0x01, (body.length + 4) >> 8, (body.length + 4) & 0xff);
    writeBytes(record, 0x01, 0x00, body.length >> 8, body.length & 0xff); // ClientHello
    record.writeBytes(body);
    return record.toString(StandardCharsets.ISO_8859_1);
  }

  /** The HTTP/2 client connection preface and an empty SETTINGS frame. */
  private static String http2Preface() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(latin1("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    writeBytes(out, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static void writeBytes(ByteArrayOutputStream out, int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
  }
}
