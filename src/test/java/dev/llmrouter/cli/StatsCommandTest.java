package dev.llmrouter.cli;

import static dev.llmrouter.cli.StatsCli.SESSION;
import static dev.llmrouter.cli.StatsCli.at;
import static dev.llmrouter.cli.StatsCli.json;
import static dev.llmrouter.cli.StatsCli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmrouter.cli.StatsCli.Result;
import dev.llmrouter.testkit.LogLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code stats} in process, on logs written line by line with known contents, so every figure has
 * an exact expected value (percentiles: within the histogram's 1%).
 */
class StatsCommandTest {

  @TempDir Path dir;

  /** The row named {@code name} (null: the "none" row) of one table. */
  private static JsonNode row(JsonNode report, String table, String name) {
    for (JsonNode row : report.path(table)) {
      if (name == null ? row.path("name").isNull() : name.equals(row.path("name").asString())) {
        return row;
      }
    }
    throw new AssertionError("no " + table + " row " + name + " in " + report);
  }

  /**
   * Nine requests over two endpoints, three providers and three models, in a main file and its
   * rotation; the errors file repeats the failed ones; one line is cut short and one is blank.
   */
  private void knownLogs() {
    LogLines[] main = {
      // 1. first try
      LogLines.at(at(1)).provider("A").attempt("A", 200, null, "success").openAiUsage(10, 5),
      // 2. A rate limited, B answers: a fallback
      LogLines.at(at(2))
          .provider("B")
          .duration(300)
          .attempt("A", 429, "rate_limited", "fallback")
          .attempt("B", 200, null, "success")
          .openAiUsage(20, 7),
      // 3. A skipped (cooling down), B answers: B was the first called, no fallback
      LogLines.at(at(3))
          .model("gpt-4o")
          .provider("B")
          .duration(200)
          .skipped("A", "cooling_down")
          .attempt("B", 200, null, "success")
          .openAiUsage(30, 9),
      // 4. A timed out, retried, answered: the same provider, no fallback
      LogLines.at(at(4))
          .model("gpt-4o")
          .provider("A")
          .duration(400)
          .attempt("A", 0, "timeout", "retry")
          .attempt("A", 200, null, "success")
          .openAiUsage(5, 1),
      // 5. everyone failed: the router answered 502
      LogLines.at(at(5))
          .model("gpt-4o")
          .status(502)
          .duration(500)
          .attempt("A", 503, "overloaded", "fallback")
          .attempt("B", 500, "server_error", "fallback"),
      // 6. a stream that completed
      LogLines.at(at(6))
          .endpoint("anthropic")
          .model("claude-x")
          .provider("C")
          .duration(1000)
          .attempt("C", 200, null, "success")
          .stream(true, 50)
          .anthropicUsage(100, 50),
      // 7. a stream that broke after its 200: no success
      LogLines.at(at(7))
          .endpoint("anthropic")
          .model("claude-x")
          .provider("C")
          .duration(2000)
          .attempt("C", 200, null, "success")
          .stream(false, 70)
          .anthropicUsage(40, 0),
      // 8. the router's own 400: no model, no provider, no attempt
      LogLines.at(at(8)).endpoint("anthropic").model(null).status(400).duration(1),
    };
    List<Object> lines = new ArrayList<>(List.of(main));
    lines.add(4, main[3].line().substring(0, 80)); // cut short: line 5
    lines.add(""); // blank: skipped, not counted
    LogLines.write(dir.resolve(SESSION + ".jsonl"), lines);
    LogLines.write(
        dir.resolve(SESSION + "_errors.jsonl"),
        List.of(main[1], main[3], main[4], main[6], main[7]));
    // 9. in the rotated file
    LogLines.write(
        dir.resolve(SESSION + "_2.jsonl"),
        List.of(
            LogLines.at(at(9))
                .provider("A")
                .duration(150)
                .attempt("A", 200, null, "success")
                .openAiUsage(1, 1)));
  }

  @Test
  void everyFigureOfAKnownLog() {
    knownLogs();

    JsonNode r = json(run("stats", "--log-dir", dir.toString(), "--json"));

    assertThat(r.path("requests").asLong()).isEqualTo(9);
    assertThat(r.path("malformed_lines").asLong()).isEqualTo(1);
    assertThat(r.path("first_malformed").asString()).endsWith(SESSION + ".jsonl:5");
    assertThat(r.path("first").asString()).isEqualTo(at(1));
    assertThat(r.path("last").asString()).isEqualTo(at(9));

    JsonNode openai = row(r, "endpoints", "openai");
    assertThat(openai.path("requests").asLong()).isEqualTo(6);
    assertThat(openai.path("successes").asLong()).isEqualTo(5);
    assertThat(openai.path("success_pct").asDouble()).isEqualTo(83.33);
    assertThat(openai.path("fallbacks").asLong()).isEqualTo(1);
    assertThat(openai.path("attempts").asLong()).isEqualTo(9); // the skip is no call
    assertThat(openai.path("input_tokens").asLong()).isEqualTo(66);
    assertThat(openai.path("output_tokens").asLong()).isEqualTo(23);
    // 100 150 200 300 400 500: nearest rank p50 = 200, p95 = p99 = 500
    assertThat(openai.path("duration_ms").path("p50").asDouble()).isCloseTo(200, within(2.0));
    assertThat(openai.path("duration_ms").path("p95").asDouble()).isCloseTo(500, within(5.0));
    assertThat(openai.path("duration_ms").path("p99").asDouble()).isCloseTo(500, within(5.0));
    assertThat(openai.path("ttfb_ms").isNull()).isTrue();
    assertThat(openai.path("failure_classes"))
        .hasToString("{\"overloaded\":1,\"rate_limited\":1,\"server_error\":1,\"timeout\":1}");

    JsonNode anthropic = row(r, "endpoints", "anthropic");
    assertThat(anthropic.path("requests").asLong()).isEqualTo(3);
    assertThat(anthropic.path("successes").asLong()).isEqualTo(1); // 400, and a broken stream
    assertThat(anthropic.path("attempts").asLong()).isEqualTo(2);
    assertThat(anthropic.path("input_tokens").asLong()).isEqualTo(140);
    assertThat(anthropic.path("output_tokens").asLong()).isEqualTo(50);
    assertThat(anthropic.path("duration_ms").path("p50").asDouble()).isCloseTo(1000, within(10.0));
    assertThat(anthropic.path("ttfb_ms").path("count").asLong()).isEqualTo(2);
    assertThat(anthropic.path("ttfb_ms").path("p50").asDouble()).isCloseTo(50, within(0.5));
    assertThat(anthropic.path("ttfb_ms").path("p99").asDouble()).isEqualTo(70); // the maximum
    assertThat(anthropic.path("failure_classes").isEmpty()).isTrue();

    JsonNode a = row(r, "providers", "A");
    assertThat(a.path("requests").asLong()).isEqualTo(3); // answered 1, 4, 9
    assertThat(a.path("fallbacks").asLong()).isZero();
    assertThat(a.path("attempts").asLong()).isEqualTo(6); // its own calls, not the skip
    assertThat(a.path("failure_classes"))
        .hasToString("{\"overloaded\":1,\"rate_limited\":1,\"timeout\":1}");
    JsonNode b = row(r, "providers", "B");
    assertThat(b.path("requests").asLong()).isEqualTo(2);
    assertThat(b.path("fallbacks").asLong()).isEqualTo(1); // 2, not 3
    assertThat(b.path("attempts").asLong()).isEqualTo(3);
    assertThat(b.path("failure_classes")).hasToString("{\"server_error\":1}");
    JsonNode none = row(r, "providers", null);
    assertThat(none.path("requests").asLong()).isEqualTo(2);
    assertThat(none.path("successes").asLong()).isZero();
    assertThat(row(r, "providers", "C").path("success_pct").asDouble()).isEqualTo(50.0);

    JsonNode mini = row(r, "models", "gpt-4o-mini");
    assertThat(mini.path("requests").asLong()).isEqualTo(3);
    assertThat(mini.path("fallbacks").asLong()).isEqualTo(1);
    assertThat(mini.path("input_tokens").asLong()).isEqualTo(31);
    JsonNode gpt4o = row(r, "models", "gpt-4o");
    assertThat(gpt4o.path("successes").asLong()).isEqualTo(2);
    assertThat(gpt4o.path("attempts").asLong()).isEqualTo(5);
    assertThat(row(r, "models", null).path("requests").asLong()).isEqualTo(1);
    // busiest first
    assertThat(r.path("models").path(0).path("name").asString()).isIn("gpt-4o-mini", "gpt-4o");
  }

  @Test
  void theTableShowsTheSameFigures() {
    knownLogs();

    Result r = run("stats", "--log-dir", dir.toString());

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("9 requests in 2 files, " + at(1) + " to " + at(9));
    assertThat(lines.get(1))
        .startsWith("malformed lines skipped: 1 (the first at ")
        .endsWith(":5)");
    assertThat(cells(lines, "openai"))
        .containsExactly(
            "openai",
            "6",
            "83.3%",
            "1",
            "9",
            "200",
            "500",
            "500",
            "-",
            "-",
            "-",
            "66",
            "23",
            "overloaded 1, rate_limited 1, server_error 1, timeout 1");
    assertThat(cells(lines, "anthropic"))
        .containsExactly(
            "anthropic",
            "3",
            "33.3%",
            "0",
            "2",
            "1,000",
            "2,000",
            "2,000",
            "50",
            "70",
            "70",
            "140",
            "50",
            "-");
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("(none) ").contains(" 0.0% "))
        .anySatisfy(l -> assertThat(l).startsWith("endpoint ").contains("top failure classes"))
        .anySatisfy(l -> assertThat(l).startsWith("provider "))
        .anySatisfy(l -> assertThat(l).startsWith("model "));
  }

  /**
   * The cells of the table line that starts with {@code name}, percentiles replaced by the exact
   * value they are within 1% of (checked here).
   */
  private static List<String> cells(List<String> lines, String name) {
    String line = lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
    List<String> cells = new ArrayList<>(List.of(line.split(" {2,}")));
    for (int i = 5; i <= 10; i++) {
      if (cells.get(i).equals("-")) {
        continue;
      }
      double shown = Double.parseDouble(cells.get(i).replace(",", ""));
      long exact = Math.round(shown / 10) * 10; // every exact value here is a multiple of 10
      assertThat(shown).isCloseTo((double) exact, within(exact * 0.01));
      cells.set(i, String.format(Locale.ROOT, "%,d", exact));
    }
    return cells;
  }

  @Test
  void theErrorsCopyIsNotCountedUnlessNamed() {
    knownLogs();
    Path main = dir.resolve(SESSION + ".jsonl");
    Path errors = dir.resolve(SESSION + "_errors.jsonl");

    JsonNode both = json(run("stats", main.toString(), errors.toString(), "--json"));
    JsonNode folder = json(run("stats", dir.toString(), "--json"));

    assertThat(both.path("requests").asLong()).isEqualTo(8 + 5); // named: read as named
    assertThat(both.path("files")).hasSize(2);
    assertThat(folder.path("requests").asLong()).isEqualTo(9); // a named folder: main logs only
  }

  @Test
  void theFolderComesFromTheConfigsLoggingDir() throws IOException {
    knownLogs();
    ObjectNode root = ConfigFiles.root();
    root.putObject("logging").put("dir", dir.toString());
    root.putArray("openai").add(ConfigFiles.provider("p", "http://127.0.0.1:9/v1", 1));
    Path config = ConfigFiles.write(dir.resolve("conf.json"), root);

    JsonNode r = json(run("stats", "--config", config.toString(), "--json"));
    Result broken = run("stats", "--config", dir.resolve("absent.json").toString());

    assertThat(r.path("requests").asLong()).isEqualTo(9);
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("absent.json").contains("--log-dir");
  }

  @Test
  void onlyTheLoggingSectionIsReadKeysThatCannotBeResolvedDoNotMatter() throws IOException {
    // An operator's shell without the server's ${KEY}s, or without its credentials files.
    knownLogs();
    ObjectNode root = ConfigFiles.root();
    root.putObject("logging").put("dir", dir.toString());
    root.putArray("openai")
        .add(
            ConfigFiles.provider("p", "http://127.0.0.1:9/v1", 1)
                .put("api_key", "${UNSET_IN_THIS_SHELL}"));
    Path config = ConfigFiles.write(dir.resolve("conf.json"), root);

    JsonNode r = json(run("stats", "--config", config.toString(), "--json"));

    assertThat(r.path("requests").asLong()).isEqualTo(9);
    root.putObject("logging").put("dir", 7);
    Result bad = run("stats", "--config", ConfigFiles.write(config, root).toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("logging.dir").doesNotContain("UNSET_IN_THIS_SHELL");
  }
}
