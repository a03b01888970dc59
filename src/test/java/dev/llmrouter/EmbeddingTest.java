package dev.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ConfigLoader;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM program runs the router in-process through the facade, in a few lines. */
class EmbeddingTest {

  @TempDir Path dir;

  @Test
  void startFromAConfigStringServeAndClose() throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start().always(Reply.openAiOk("embedded"))) {
      String json =
          """
          {"server": {"port": 0}, "logging": {"dir": "%s"},
           "openai": [{"api_key": "${KEY}", "base_url": "%s/v1"}]}
          """
              .formatted(dir.resolve("logs"), upstream.baseUrl());
      RouterConfig config = ConfigLoader.parse(json, Map.of("KEY", "sk-embedded-0123456789"));

      Path log;
      try (Router router = Router.start(config)) {
        HttpResponse<String> r =
            RouterHarness.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + router.port() + "/openai/chat/completions"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(RouterHarness.OPENAI_CHAT))
                    .build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("embedded");
        log = router.logFile();
      }
      // close() flushed the log, and the port is free again.
      assertThat(Files.readAllLines(log)).hasSize(1);
    }
  }
}
