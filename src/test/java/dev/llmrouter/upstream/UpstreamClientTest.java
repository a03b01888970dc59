package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which upstreams may have their client callbacks run inline on the selector thread: only plain
 * HTTP to an address that needs no DNS lookup. TLS work or a name lookup there would stall every
 * other upstream on that client.
 */
class UpstreamClientTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8000/v1",
        "http://10.1.2.3/v1",
        "http://1.2.3.4",
        "http://255.255.255.255:80",
        "http://localhost:11434/v1",
        "http://LOCALHOST:8000",
        "http://[::1]:8000/v1"
      })
  void plainHttpToAnAddressRunsInline(String url) {
    assertThat(UpstreamClient.runsInline(URI.create(url))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://api.openai.com/v1",
        "https://127.0.0.1:8443/v1",
        "http://vllm:8000/v1",
        "http://ollama.internal:11434/v1",
        "http://127.0.0.1.nip.io/v1",
        "http://1.2.3/v1",
        "http://1.2.3.4.5/v1",
        "http://1..2.3/v1",
        "http://1234.1.1.1/v1",
        "http://1.2.3.4a/v1",
        "http://a1.2.3.4/v1",
        "http://1.2.3./v1"
      })
  void tlsOrAHostNameIsOffloaded(String url) {
    assertThat(UpstreamClient.runsInline(URI.create(url))).isFalse();
  }
}
