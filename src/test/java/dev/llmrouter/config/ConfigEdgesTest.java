package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.OK;
import static dev.llmrouter.config.ConfigTesting.parse;
import static dev.llmrouter.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values that passed check and failed later (or with a stack trace): each is a problem now. */
class ConfigEdgesTest {

  @Test
  void aHostToListenOnIsANameOrAnAddressWithoutSchemeOrPort() throws Exception {
    assertThat(problems("{'server': {'host': 'http://127.0.0.1'}, 'openai': [{%s}]}".formatted(OK)))
        .containsExactly(
            "server.host: must be a host name or address to listen on, without a scheme or port"
                + " (127.0.0.1, 0.0.0.0, ::)");
    for (String bad :
        new String[] {
          "not a host!", "127.0.0.1:9000", "[127.0.0.1]", "[::1", "::1]", "1:2", ":::"
        }) {
      assertThat(problems("{'server': {'host': '%s'}, 'openai': [{%s}]}".formatted(bad, OK)))
          .as(bad)
          .hasSize(1);
    }
    for (String host :
        new String[] {
          "127.0.0.1", "0.0.0.0", "::", "[::1]", "localhost", "fe80::1", "::ffff:1.2.3.4"
        }) {
      assertThat(
              parse("{'server': {'host': '%s'}, 'openai': [{%s}]}".formatted(host, OK))
                  .server()
                  .host())
          .isEqualTo(host);
    }
  }

  @Test
  void anIpv6HostIsBracketedOnceInAnAddress() {
    assertThat(ServerSettings.hostForUrl("::1")).isEqualTo("[::1]");
    assertThat(ServerSettings.hostForUrl("[::1]")).isEqualTo("[::1]");
    assertThat(ServerSettings.hostForUrl("127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void aBaseUrlsPortIsOneTo65535() {
    assertThat(problems("{'openai': [{'api_key': 'k', 'base_url': 'http://127.0.0.1:99999/v1'}]}"))
        .containsExactly("openai[0].base_url: must have a port of 1..65535");
    assertThat(problems("{'openai': [{'api_key': 'k', 'base_url': 'http://127.0.0.1:0/v1'}]}"))
        .hasSize(1);
  }

  @Test
  void aDurationOfAnExtremeExponentIsAProblemNotAStackTrace() {
    assertThat(
            problems(
                "{'server': {'request_timeout': 1e-999999999, 'shutdown_grace': -1},"
                    + " 'openai': [{%s}]}".formatted(OK)))
        .hasSize(2)
        .allMatch(p -> p.startsWith("server."));
  }

  @Test
  void modelIdsAreExpandedLikeEveryStringValue() throws Exception {
    RouterConfig config =
        parse(
            "{'openai': [{%s, 'models': {'gpt-4o': '${DEPLOYMENT}'}}],".formatted(OK)
                + " 'anthropic': [{%s, 'models': ['${CLAUDE}']}]}".formatted(OK),
            Map.of("DEPLOYMENT", "dep-1", "CLAUDE", "claude-x"));
    assertThat(config.openai().get(0).models().entries().get(0).upstream()).isEqualTo("dep-1");
    assertThat(config.anthropic().get(0).models().entries().get(0).alias()).isEqualTo("claude-x");
    assertThat(problems("{'openai': [{%s, 'models': ['${UNSET_VAR}']}]}".formatted(OK)))
        .containsExactly("openai[0].models[0]: environment variable UNSET_VAR is not set");
  }

  @Test
  void aSecretFileMustBeARegularFile() {
    // A FIFO would block the read and a device never end; Files.size says 0 for both.
    if (Files.exists(Path.of("/dev/zero"))) {
      assertThat(
              problems(
                  "{'openai': [{'api_key': '${file:/dev/zero}', 'base_url': 'https://example.com'}]}"))
          .containsExactly("openai[0].api_key: secret file /dev/zero is not a regular file");
    }
  }
}
