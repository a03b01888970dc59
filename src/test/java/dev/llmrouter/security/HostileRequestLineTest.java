package dev.llmrouter.security;

import static dev.llmrouter.security.HostileInput.CHAT;
import static dev.llmrouter.security.HostileInput.CLOSED;
import static dev.llmrouter.security.HostileInput.http2Preface;
import static dev.llmrouter.security.HostileInput.logged;
import static dev.llmrouter.security.HostileInput.post;
import static dev.llmrouter.security.HostileInput.refused;
import static dev.llmrouter.security.HostileInput.tlsClientHello;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;

import dev.llmrouter.security.HostileInput.Hostile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile request lines and methods, and other protocols on the plain port (see {@link
 * HostileInput} for what every answer must be).
 */
class HostileRequestLineTest {

  @RegisterExtension static final HostileInputFixture FIXTURE = new HostileInputFixture();

  static List<Hostile> hostile() {
    String ok = OPENAI_CHAT;
    List<Hostile> all = new ArrayList<>();

    // Request lines. The JDK refuses lines without two spaces; the router refuses versions that
    // are not HTTP/1.x (the JDK would serve them as HTTP/1.1).
    all.add(refused("garbage request line", "GARBAGE\r\n\r\n", 400));
    all.add(refused("request line without a version", "GET /health\r\n\r\n", 400));
    all.add(refused("HTTP/9.9", "GET /health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 400));
    all.add(
        refused("version that is not HTTP", "GET /health FOO/1\r\nHost: 127.0.0.1\r\n\r\n", 400));
    all.add(
        refused(
            "HTTP/2.0 in an HTTP/1 line", "GET /health HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 400));
    all.add(
        refused("empty request target", "GET  /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 404));
    all.add(
        refused(
            "unknown method on a page", "BREW /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405));
    all.add(logged("unknown method on the proxy", post("PURGE", CHAT, "", ok), 405));
    all.add(
        logged(
            "TRACE on the proxy", "TRACE " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405));
    all.add(refused("NUL in the method", "G\0ET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405));
    all.add(
        refused(
            "CONNECT tunnel request",
            "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n",
            400));

    // Targets that are not a path: routed by their path alone, they would pass a front proxy's
    // rules by prefix, and an authority no Host rule saw.
    all.add(
        logged(
            "absolute-form target of another host",
            post("POST", "http://evil" + CHAT, "", ok),
            400));
    all.add(logged("authority in the target", post("POST", "//evil.com" + CHAT, "", ok), 400));
    all.add(logged("scheme without authority", post("POST", "http:" + CHAT, "", ok), 400));
    all.add(logged("fragment in the target", post("POST", CHAT + "#frag", "", ok), 400));

    // Other protocols on the plain port.
    all.add(new Hostile("TLS ClientHello", tlsClientHello(), CLOSED, true, false));
    all.add(new Hostile("HTTP/2 preface and SETTINGS", http2Preface(), 404, false, false));

    // Size: the router's maxReqHeaderSize (32 KiB) closes it.
    all.add(
        refused(
            "70 KB URL",
            "GET /" + "a".repeat(70 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            CLOSED));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileBytesAreRefusedAndTheRouterServesRightAfter(Hostile c) {
    FIXTURE.assertRefusedAndServesRightAfter(c);
  }
}
