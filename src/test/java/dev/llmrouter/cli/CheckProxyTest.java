package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} shows the egress proxy {@code serve} would take from the environment. */
class CheckProxyTest {

  @TempDir Path dir;

  @Test
  void checkShowsTheProxyServeWouldUseWithoutItsCredentials() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(
        file,
        """
        {"openai": [{"name": "openai-primary", "api_key": "sk-check-proxy-0001",
                     "base_url": "https://primary.example/v1"}]}
        """);
    CliRun.Result r =
        CliRun.run(
            Map.of("HTTPS_PROXY", "http://ops:hunter2-proxy@egress.corp:3128"),
            "check",
            "--config",
            file.toString());
    String printed = r.out();
    String all = r.all();

    assertThat(r.code()).as(all).isZero();
    assertThat(printed)
        .contains("proxy: https:// upstreams through the proxy egress.corp:3128")
        .contains("proxy: warning: HTTPS_PROXY: the credentials in the URL are not sent");
    assertThat(all).doesNotContain("hunter2");
  }
}
