package dev.llmrouter.cli;

import static dev.llmrouter.testkit.CliProcess.EXIT;
import static dev.llmrouter.testkit.CliProcess.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.CliProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code demo} in its own JVM: the curl lines it prints really show a fallback. */
class DemoCommandTest {

  private static final Pattern CURL = Pattern.compile("^curl .*");
  private static final Pattern REQUEST_LOG = Pattern.compile("^Request log: (\\S+)");

  /** A shell word: single-quoted (the demo quotes that way) or bare. */
  private static final Pattern WORD = Pattern.compile("'([^']*)'|(\\S+)");

  @TempDir Path work;

  @Test
  void theCurlLinesShowAFallbackFromTheRateLimitedMockToTheHealthyOne() throws IOException {
    Path logDir = work.resolve("demo-logs");

    try (CliProcess demo =
        CliProcess.start(work, "demo", "--port", "0", "--log-dir", "" + logDir)) {
      String openAi = demo.awaitLine(CURL, STARTUP).group();
      String anthropic = demo.awaitLine(CURL, STARTUP).group();
      String health = demo.awaitLine(CURL, STARTUP).group();
      Path log = Path.of(demo.awaitLine(REQUEST_LOG, STARTUP).group(1));

      assertThat(openAi).contains("/openai/");
      assertThat(anthropic).contains("/anthropic/");
      assertThat(health).endsWith("/health");
      // The router's port, not the default 8000 nor 0: --port 0 prints the bound port.
      assertThat(URI.create(urlOf(openAi)).getPort()).isPositive().isNotEqualTo(8000);

      for (String curl : List.of(openAi, anthropic)) {
        HttpResponse<String> r = Http.send(asRequest(curl));
        assertThat(r.statusCode()).as(curl + "\n" + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-router-provider")).hasValue("mock-healthy");
        assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
      }
      assertThat(Http.send(asRequest(health)).statusCode()).isEqualTo(200);
      // The model lists list the mock's models, each API its own (the rate-limited mock's 429
      // is passed over).
      URI router = URI.create(urlOf(openAi)).resolve("/");
      for (String api : List.of("openai", "anthropic")) {
        HttpResponse<String> models =
            Http.send(
                HttpRequest.newBuilder(router.resolve("/" + api + "/v1/models"))
                    .header("Authorization", "Bearer demo")
                    .GET()
                    .build());
        assertThat(models.statusCode()).as(models.body()).isEqualTo(200);
        assertThat(models.body())
            .contains(api.equals("openai") ? "\"gpt-4o-mini\"" : "\"claude-sonnet-4-5\"");
      }

      demo.terminate();
      assertThat(demo.awaitExit(EXIT)).as(demo.describe()).isZero();
      // The demo's router drains as serve's does, and says so in the same two lines.
      assertThat(demo.stderr())
          .contains("llm-api-router: draining: no new requests")
          .contains("llm-api-router: stopped: every request and stream finished");

      assertThat(log.getParent()).isEqualTo(logDir);
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.contains("/v1/models"))
              .toList();
      assertThat(lines).hasSize(2);
      for (String line : lines) {
        JsonNode record = Http.json(line);
        assertThat(record.path("provider").asString()).isEqualTo("mock-healthy");
        JsonNode firstAttempt = record.path("attempts").path(0);
        assertThat(firstAttempt.path("provider").asString()).isEqualTo("mock-rate-limited");
        assertThat(firstAttempt.path("status").asInt()).isEqualTo(429);
      }
    }
  }

  private static String urlOf(String curl) {
    return words(curl).stream().filter(w -> w.startsWith("http://")).findFirst().orElseThrow();
  }

  /**
   * What the curl line asks for: its URL, each {@code -H} header, and {@code -d} as a POST body.
   */
  private static HttpRequest asRequest(String curl) {
    List<String> words = words(curl);
    assertThat(words.get(0)).isEqualTo("curl");
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Http.REQUEST_TIMEOUT);
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      switch (w) {
        case "-H" -> {
          String header = words.get(++i);
          int colon = header.indexOf(':');
          b.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        case "-d" -> b.POST(HttpRequest.BodyPublishers.ofString(words.get(++i)));
        case "-s", "-si", "-i" -> {
          // output options: the response itself is what the test looks at
        }
        default -> {
          assertThat(w).as("unexpected word in: " + curl).startsWith("http://127.0.0.1:");
          b.uri(URI.create(w));
        }
      }
    }
    return b.build();
  }

  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return words;
  }
}
