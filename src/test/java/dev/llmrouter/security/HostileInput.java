package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the hostile-input tests share: the {@link Hostile} case, the check every answer to one must
 * pass, and the payload builders more than one of them uses (a builder only one test class needs
 * stays there).
 *
 * <p>Hostile bytes on the router's port, sent raw: each gets a 4xx or a closed connection, never a
 * 2xx and never a stack trace, and the router answers a valid request right after. Some are
 * answered by the JDK server before the router sees them; the comments on each case say who
 * answers.
 */
final class HostileInput {
  private HostileInput() {}

  static final String CHAT = "/openai/chat/completions";

  /** No status line: the connection was closed (or reset) without an answer. */
  static final int CLOSED = 0;

  /** Quick on loopback; a request that hangs fails on the read timeout instead of blocking. */
  static final RawHttp.Options HOSTILE =
      RawHttp.Options.DEFAULT.readTimeout(Duration.ofSeconds(3)).settle(Duration.ofMillis(100));

  // ---------------------------------------------------------------- the cases

  /**
   * One hostile payload.
   *
   * @param payload the bytes to send, one char per byte (ISO-8859-1)
   * @param expect the status observed on Temurin 25, or {@link #CLOSED}
   * @param finish the client half-closes after sending: it has nothing more to send (the held-open
   *     variants of the unfinished ones are in {@link
   *     HostileFramingTest#heldOpenGarbageIsCutByTheRequestTime})
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

  static Hostile refused(String name, String request, int expect) {
    return new Hostile(name, request, expect, false, false);
  }

  static Hostile logged(String name, String request, int expect) {
    return new Hostile(name, request, expect, false, true);
  }

  /** Sent, then half-closed before its body is complete: the router answers 400 and logs it. */
  static Hostile unfinished(String name, String request) {
    return new Hostile(name, request, 400, true, true);
  }

  // ---------------------------------------------------------------- checks

  /**
   * Null when {@code answer} is what {@code c} expects and what every hostile payload must get: a
   * 4xx or a closed connection, no stack trace; else what is wrong.
   */
  static String refusal(Hostile c, RawHttp.Answer answer) {
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
  static boolean hasStackTrace(String text) {
    String rest =
        text.replace("<h1>400 Bad Request</h1>NumberFormatException thrown", "")
            .replace("<h1>400 Bad Request</h1>URISyntaxException thrown", "");
    return Stream.of("Exception", "at java.", "at dev.", "\tat ").anyMatch(rest::contains);
  }

  static String abbreviate(String text) {
    String oneLine = text.replace("\r\n", " | ");
    return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
  }

  static void assertServesValid(RouterHarness target) {
    HttpResponse<String> r = target.post(CHAT, OPENAI_CHAT);
    assertThat(r.statusCode()).as("a valid request right after").isEqualTo(200);
    assertThat(r.body()).contains("chat.completion");
  }

  /** Runs every task on at most {@code threads} virtual threads; returns each non-null result. */
  static List<String> runBounded(List<Callable<String>> tasks, int threads, Duration timeout)
      throws InterruptedException {
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

  // ---------------------------------------------------------------- payload builders

  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String post(String method, String path, String extraHeaders, String body) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + extraHeaders
        + "Content-Length: "
        + body.getBytes(StandardCharsets.ISO_8859_1).length
        + "\r\n\r\n"
        + body;
  }

  /** {@code json} (an object) with {@code name} added first at its top level. */
  static String withField(String json, String name, String rawValue) {
    return "{" + quoted(name) + ":" + rawValue + "," + json.substring(1);
  }

  static String quoted(String s) {
    return "\"" + s + "\"";
  }

  /**
   * A TLS 1.2 ClientHello record for "localhost" with fixed "random" bytes: deterministic, and free
   * of CR LF, so the JDK server never finds the end of a request line in it.
   */
  static String tlsClientHello() {
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
  static String http2Preface() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(latin1("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    writeBytes(out, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  static void writeBytes(ByteArrayOutputStream out, int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
  }
}
