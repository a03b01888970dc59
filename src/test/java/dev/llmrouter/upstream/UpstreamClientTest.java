package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.regex.Pattern;
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
        "http://127.0.0.1.nip.io/v1"
      })
  void tlsOrAHostNameIsOffloaded(String url) {
    assertThat(UpstreamClient.runsInline(URI.create(url))).isFalse();
  }

  /** The hand-written check says what the regex it replaced said, on every kind of near miss. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.3.4",
        "127.0.0.1",
        "255.255.255.255",
        "999.999.999.999",
        "1.2.3",
        "1.2.3.4.5",
        "1..2.3",
        "1234.1.1.1",
        "1.2.3.4a",
        "a1.2.3.4",
        "1.2.3.",
        ".1.2.3",
        "",
        "...",
        "1.2.3.4 ",
        "\u0661.2.3.4",
        "localhost"
      })
  void theIpv4CheckMatchesTheRegexItReplaced(String host) {
    assertThat(UpstreamClient.isIpv4Literal(host))
        .isEqualTo(Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}").matcher(host).matches());
  }
}
