package dev.llmrouter.security;

import static dev.llmrouter.security.HostileInput.CHAT;
import static dev.llmrouter.security.HostileInput.CLOSED;
import static dev.llmrouter.security.HostileInput.logged;
import static dev.llmrouter.security.HostileInput.refusal;
import static dev.llmrouter.security.HostileInput.refused;
import static dev.llmrouter.security.HostileInput.runBounded;
import static dev.llmrouter.security.HostileInput.tlsClientHello;
import static dev.llmrouter.security.HostileInput.unfinished;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.security.HostileInput.Hostile;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile body framing: Content-Length and chunked bodies that lie, and requests a client leaves
 * unfinished, sent whole or held open (see {@link HostileInput} for what every answer must be).
 */
class HostileFramingTest {

  @RegisterExtension static final HostileInputFixture FIXTURE = new HostileInputFixture();

  static List<Hostile> hostile() {
    String ok = OPENAI_CHAT;
    String okLength = "Content-Length: " + ok.length() + "\r\n";
    List<Hostile> all = new ArrayList<>();

    // Content-Length. The JDK refuses what Long.parseLong refuses and negatives; the router
    // refuses a sign, which the JDK would accept.
    all.add(refused("non-numeric Content-Length", length("abc", ok), 400));
    all.add(refused("negative Content-Length", length("-1", ok), 400));
    all.add(logged("Content-Length with a plus sign", length("+" + ok.length(), ok), 400));
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

    // Chunked bodies. The JDK's decoder fails on these while the router reads the body: the
    // router answers 400 and closes the connection.
    all.add(logged("chunk size not hex", chunked("zz\r\n" + ok + "\r\n0\r\n\r\n"), 400));
    all.add(logged("negative chunk size", chunked("-5\r\nabcde\r\n0\r\n\r\n"), 400));
    all.add(
        logged(
            "chunk size past the int range", chunked("80000000\r\n" + ok + "\r\n0\r\n\r\n"), 400));
    all.add(
        logged(
            "chunk size of 16 hex digits",
            chunked("ffffffffffffffff\r\n" + ok + "\r\n0\r\n\r\n"),
            400));
    all.add(
        logged("chunk data longer than its size", chunked("3\r\n" + ok + "\r\n0\r\n\r\n"), 400));
    all.add(unfinished("chunked body without its last chunk", chunked(chunk(ok))));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileBytesAreRefusedAndTheRouterServesRightAfter(Hostile c) {
    FIXTURE.assertRefusedAndServesRightAfter(c);
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
        ChildRouter.start(FIXTURE.fake().baseUrl() + "/v1", "-Dsun.net.httpserver.maxReqTime=1")) {
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
                  "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n",
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

  private static String head(String path) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
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
}
