package dev.llmrouter.upstream;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ServedRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} behind an egress proxy named the way shells and containers name it. Over a process
 * of its own: the proxy properties are JVM-wide. The fake upstream plays the proxy: a plain-HTTP
 * proxy gets the whole URL as the request target and answers in the upstream's place.
 */
class ProxyEnvironmentOverProcessTest {

  private static final String CHAT = "/openai/chat/completions";
  private static final Duration T = Duration.ofSeconds(15);

  @TempDir Path dir;

  /** A provider at a host no resolver knows: only a proxy can reach it. */
  private static final String CONFIG =
      """
      {"server": {"port": 0}, "logging": {"dir": "logs"},
       "openai": [{"name": "behind-proxy", "api_key": "sk-proxy-test-0001",
                   "base_url": "http://llm.upstream.invalid/v1", "max_retries": 0}]}
      """;

  @Test
  void httpProxyFromTheEnvironmentCarriesTheRequestsToTheProvider() {
    try (FakeUpstream proxy = FakeUpstream.start().always(Reply.openAiOk("via the proxy"));
        ServedRouter router =
            ServedRouter.start(
                dir, CONFIG, Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()))) {

      assertThat(router.post(CHAT, OPENAI_CHAT, T)).as(router.describe()).isEqualTo(200);

      Received sent = proxy.awaitRequest(1, T);
      assertThat(sent.target()).isEqualTo("http://llm.upstream.invalid/v1/chat/completions");
      assertThat(sent.header("authorization")).isEqualTo("Bearer sk-proxy-test-0001");
      assertThat(router.describe())
          .contains("http:// upstreams through the proxy 127.0.0.1:" + proxy.port());
    }
  }

  /** An upstream at an address, which the router otherwise serves on its inline client. */
  @Test
  void anUpstreamAtAnAddressGoesThroughTheProxyToo() {
    String atAddress = CONFIG.replace("llm.upstream.invalid", "192.0.2.7"); // TEST-NET-1
    try (FakeUpstream proxy = FakeUpstream.start().always(Reply.openAiOk("via the proxy"));
        ServedRouter router =
            ServedRouter.start(
                dir, atAddress, Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()))) {

      assertThat(router.post(CHAT, OPENAI_CHAT, T)).as(router.describe()).isEqualTo(200);
      assertThat(proxy.awaitRequest(1, T).target())
          .isEqualTo("http://192.0.2.7/v1/chat/completions");
    }
  }

  @Test
  void aHostInNoProxyIsCalledDirectly() {
    try (FakeUpstream proxy = FakeUpstream.start().always(Reply.openAiOk("via the proxy"));
        ServedRouter router =
            ServedRouter.start(
                dir,
                CONFIG,
                Map.of(
                    "http_proxy",
                    "http://127.0.0.1:" + proxy.port(),
                    "no_proxy",
                    "localhost,.upstream.invalid"))) {

      // Direct, the name does not resolve: the attempt fails before any byte is sent.
      assertThat(router.post(CHAT, OPENAI_CHAT, T)).as(router.describe()).isEqualTo(502);
      assertThat(proxy.requestCount()).isZero();
    }
  }
}
