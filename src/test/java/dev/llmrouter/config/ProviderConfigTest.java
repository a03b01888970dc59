package dev.llmrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configs built in code get the ranges ConfigLoader enforces on files, and never print keys. */
class ProviderConfigTest {

  private static final URI URL = URI.create("https://api.example.com/v1");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void ofTakesEveryDefault() {
    ProviderConfig p = ProviderConfig.of("main", "sk-main-0123456789", URL);

    assertThat(p.priority()).isEqualTo(ProviderConfig.DEFAULT_PRIORITY);
    assertThat(p.timeout()).isEqualTo(ProviderConfig.DEFAULT_TIMEOUT);
    assertThat(p.maxRetries()).isEqualTo(ProviderConfig.DEFAULT_MAX_RETRIES);
    assertThat(p.weight()).isEqualTo(ProviderConfig.DEFAULT_WEIGHT);
    assertThat(p.withPriority(5).priority()).isEqualTo(5);
    assertThat(p.toString()).doesNotContain("sk-main-0123456789");
  }

  @Test
  void outOfRangeValuesAreRefused() {
    assertThatThrownBy(() -> new ProviderConfig("p", "k", 1, URL, MINUTE, 1, MINUTE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight");
    assertThatThrownBy(() -> new ProviderConfig("p", "k", 1, URL, MINUTE, -1, MINUTE, 1))
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> new ProviderConfig("p", "k", 1, URL, Duration.ZERO, 1, MINUTE, 1))
        .hasMessageContaining("timeouts");
    assertThatThrownBy(() -> ProviderConfig.of("p", "k", URI.create("ftp://example.com")))
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> ProviderConfig.of("", "k", URL)).hasMessageContaining("empty");
  }

  @Test
  void aBaseUrlAndKeyBuiltInCodeMeetTheRulesOfAFile() {
    // Ollama's docs write http://localhost:11434/v1/: without this, /v1//chat/completions.
    assertThat(
            ProviderConfig.of("o", "ollama-key", URI.create("http://127.0.0.1:11434/v1/"))
                .baseUrl())
        .isEqualTo(URI.create("http://127.0.0.1:11434/v1"));
    // Azure's classic URL: the router's path would land inside the query.
    assertThatThrownBy(
            () ->
                ProviderConfig.of(
                    "a", "k", URI.create("https://x.openai.azure.com/d?api-version=2024-10-21")))
        .hasMessageContaining("query");
    assertThatThrownBy(() -> ProviderConfig.of("u", "k", URI.create("https://user:pw@x/v1")))
        .hasMessageContaining("user info");
    // The loader refuses it as no http(s) URL; in code every request would fail with a 500.
    assertThatThrownBy(() -> ProviderConfig.of("h", "k", URI.create("http:///v1")))
        .hasMessageContaining("host");
    // A key read from a file with its newline: the JDK client would refuse every request (a 500).
    assertThatThrownBy(() -> ProviderConfig.of("n", "sk-from-file-0123\n", URL))
        .hasMessageContaining("apiKey must be ASCII");
  }

  @Test
  void edgeValuesThatTheRecordRefusesAreListedProblemsNotExceptions() {
    String json =
        """
        {"openai": [{"name": " ", "api_key": "sk-a-0123456789", "base_url": "http://127.0.0.1:1/v1"},
                    {"name": "tiny", "api_key": "sk-b-0123456789", "base_url": "http://127.0.0.1:2/v1",
                     "timeout": 1e-12}]}
        """;

    assertThatThrownBy(() -> ConfigLoader.parse(json, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .isEqualTo("openai[1].timeout: must be a positive number of seconds"));
  }
}
