package dev.llmrouter.security;

import static dev.llmrouter.security.HostileInput.CHAT;
import static dev.llmrouter.security.HostileInput.CLOSED;
import static dev.llmrouter.security.HostileInput.logged;
import static dev.llmrouter.security.HostileInput.post;
import static dev.llmrouter.security.HostileInput.refused;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;

import dev.llmrouter.security.HostileInput.Hostile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile paths and headers: NUL and control bytes, traversal and odd encodings, and sizes past the
 * limits (see {@link HostileInput} for what every answer must be).
 */
class HostilePathAndHeaderTest {

  @RegisterExtension static final HostileInputFixture FIXTURE = new HostileInputFixture();

  static List<Hostile> hostile() {
    String ok = OPENAI_CHAT;
    List<Hostile> all = new ArrayList<>();

    // NUL and control bytes. Header values reach the router unchecked; it refuses those its
    // HTTP client could not forward.
    all.add(refused("NUL in the path", "GET /hea\0lth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400));
    all.add(refused("NUL in a header name", post("POST", CHAT, "X-A\0b: 1\r\n", ok), 400));
    all.add(logged("NUL in a header value", post("POST", CHAT, "X-Ab: 1\0 2\r\n", ok), 400));
    all.add(
        logged(
            "control byte in a header value", post("POST", CHAT, "X-Ab: a\u0001b\r\n", ok), 400));

    // Paths: matched exactly on the raw path, so anything unusual is a 404 (or the JDK's 400
    // for what java.net.URI refuses), logged: an operator sees which paths clients call in vain.
    all.add(
        logged(
            "invalid UTF-8 bytes in the path", post("POST", "/openai/\u00ff\u00fe", "", ok), 400));
    all.add(logged("percent-encoded invalid UTF-8", post("POST", "/openai/%ff%fe", "", ok), 404));
    all.add(
        logged("overlong UTF-8 slash", post("POST", "/openai%c0%afchat/completions", "", ok), 404));
    all.add(
        logged(
            "/../ in the path", post("POST", "/openai/../openai/chat/completions", "", ok), 404));
    all.add(logged("%2e%2e in the path", post("POST", "/openai/%2e%2e" + CHAT, "", ok), 404));
    all.add(logged("%2f in the path", post("POST", "/openai%2fchat%2fcompletions", "", ok), 404));
    all.add(
        logged(
            "traversal out of the anthropic prefix",
            post("POST", "/anthropic/v1/../../openai/chat/completions", "", ok),
            404));
    all.add(
        refused(
            "backslashes in the path",
            post("POST", "/openai\\..\\chat\\completions", "", ok),
            400));

    // Sizes: the router's maxReqHeaderSize (32 KiB) closes the first; the JDK's maxReqHeaders
    // (200) the second.
    all.add(
        refused(
            "200 KB header",
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "b".repeat(200 * 1024)
                + "\r\n\r\n",
            CLOSED));
    all.add(refused("5,000 headers", manyHeaders(5_000), CLOSED));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileBytesAreRefusedAndTheRouterServesRightAfter(Hostile c) {
    FIXTURE.assertRefusedAndServesRightAfter(c);
  }

  // ---------------------------------------------------------------- payload builders

  private static String manyHeaders(int n) {
    StringBuilder b = new StringBuilder("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < n; i++) {
      b.append("X-H").append(i).append(": v\r\n");
    }
    return b.append("\r\n").toString();
  }
}
