package dev.llmrouter.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmrouter.json.Json;
import dev.llmrouter.logging.UsageTokens;
import dev.llmrouter.testkit.LogLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Reading: every line counted once whatever the buffer's edges, bad lines skipped and counted with
 * their place, long lines streamed. Buffer sizes from tiny (every line longer than the buffer) to
 * the real one.
 */
class LogStatsTest {

  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path dir;

  private static String ok(int i) {
    return LogLines.at(T0.plusSeconds(i))
        .provider("a")
        .attempt("a", 200, null, "success")
        .openAiUsage(i, 1)
        .duration(i)
        .line();
  }

  /** 40 good lines with bad ones among them, and the line numbers of the bad ones. */
  private static List<String> mixed() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      lines.add(ok(i));
      switch (i) {
        case 3 -> lines.add(ok(100).substring(0, 150)); // cut short: line 4
        case 10 -> lines.add(""); // blank: not malformed
        case 17 -> lines.add("[1,2,3]"); // JSON, but not a record
        case 25 -> lines.add(ok(101) + " " + ok(102)); // two records on one line
        case 31 ->
            lines.add("{\"time\":\"2026-12-05T10:00:00Z\",\"status\":200}"); // fields missing
        case 33 -> lines.add("   "); // blank too
        case 36 -> lines.add(ok(103).replace("\"time\":\"2026", "\"time\":\"20x6")); // bad time
        default -> {}
      }
    }
    return lines;
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 300, 1000, 4096, LineInput.BUFFER})
  void everyLineIsCountedOnceWhereverTheBufferEnds(int buffer) throws IOException {
    Path file = LogLines.write(dir.resolve("router_20261205_100000_aaaa0000.jsonl"), mixed());

    StatsReport r = LogStats.read(List.of(file), null, buffer);

    assertThat(r.requests()).isEqualTo(40);
    assertThat(r.malformedLines()).isEqualTo(5);
    assertThat(r.firstMalformed()).isEqualTo(file + ":4");
    GroupRow a = r.providers().getFirst();
    assertThat(a.inputTokens()).isEqualTo(40 * 41 / 2);
    assertThat(a.outputTokens()).isEqualTo(40);
    assertThat(r.first()).isEqualTo(T0.plusSeconds(1));
    assertThat(r.last()).isEqualTo(T0.plusSeconds(40));
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 1000, LineInput.BUFFER})
  void theFirstBadLineIsNamedByItsNumberEvenFarIntoTheFile(int buffer) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      lines.add(i == 150 ? "{\"cut\":" : ok(i));
    }
    Path file = LogLines.write(dir.resolve("log.jsonl"), lines);

    StatsReport r = LogStats.read(List.of(file), null, buffer);

    assertThat(r.requests()).isEqualTo(199);
    assertThat(r.firstMalformed()).isEqualTo(file + ":150");
  }

  @Test
  void aLineLongerThanTheBufferIsStreamedGoodOrBad() throws IOException {
    String big = LogLines.at(T0).provider("a").openAiUsage(7, 3).bigRequest(50_000).line();
    String bigCut = big.substring(0, 30_000);
    Path file = LogLines.write(dir.resolve("log.jsonl"), List.of(ok(1), big, bigCut, ok(2), big));

    StatsReport r = LogStats.read(List.of(file), null, 4096);

    assertThat(r.requests()).isEqualTo(4);
    assertThat(r.malformedLines()).isEqualTo(1);
    assertThat(r.firstMalformed()).endsWith(":3");
    assertThat(r.providers().getFirst().inputTokens()).isEqualTo(1 + 7 + 2 + 7);
  }

  @Test
  void crlfEndingsAndALastLineWithoutNewlineAreRead() throws IOException {
    Path file = dir.resolve("log.jsonl");
    Files.writeString(file, ok(1) + "\r\n" + ok(2) + "\r\n" + ok(3), StandardCharsets.UTF_8);

    StatsReport r = LogStats.read(List.of(file), null);

    assertThat(r.requests()).isEqualTo(3);
    assertThat(r.malformedLines()).isZero();
  }

  @Test
  void aLastLineCutShortByACrashIsMalformed() throws IOException {
    Path file = dir.resolve("log.jsonl");
    Files.writeString(file, ok(1) + "\n" + ok(2).substring(0, 90), StandardCharsets.UTF_8);

    StatsReport r = LogStats.read(List.of(file), null, 64);

    assertThat(r.requests()).isEqualTo(1);
    assertThat(r.malformedLines()).isEqualTo(1);
    assertThat(r.firstMalformed()).endsWith(":2");
  }

  @Test
  void anthropicCacheTokensCountAsInputAsInTheMetrics() throws IOException {
    Path file = dir.resolve("log.jsonl");
    String cached =
        LogLines.at(T0).endpoint("anthropic").anthropicCachedUsage(3, 200, 50_000, 100).line();
    String openai = LogLines.at(T0.plusSeconds(1)).openAiUsage(50_203, 7).line();
    Files.writeString(file, cached + "\n" + openai + "\n", StandardCharsets.UTF_8);

    StatsReport r = LogStats.read(List.of(file), null);

    assertThat(r.endpoints())
        .extracting(GroupRow::name, GroupRow::inputTokens, GroupRow::outputTokens)
        .containsExactlyInAnyOrder(tuple("anthropic", 50_203L, 100L), tuple("openai", 50_203L, 7L));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"prompt_tokens\":11.0,\"completion_tokens\":2.0}",
        "{\"prompt_tokens\":1.5,\"completion_tokens\":-2.0,\"output_tokens\":4}",
        "{\"prompt_tokens\":null,\"input_tokens\":5,\"completion_tokens\":null,"
            + "\"output_tokens\":3}",
        "{\"input_tokens\":\"many\",\"cache_read_input_tokens\":7,\"output_tokens\":-3}",
        "{\"prompt_tokens\":100000000000000000000,\"completion_tokens\":2}"
      })
  void tokensAreCountedByTheSameRuleAsTheMetrics(String usage) throws IOException {
    Path file = dir.resolve("log.jsonl");
    Files.writeString(file, LogLines.at(T0).usage(usage).line() + "\n", StandardCharsets.UTF_8);

    GroupRow row = LogStats.read(List.of(file), null).endpoints().getFirst();

    JsonNode node = Json.MAPPER.readTree(usage);
    assertThat(row.inputTokens()).isEqualTo(UsageTokens.counts(node).input());
    assertThat(row.outputTokens()).isEqualTo(UsageTokens.counts(node).output());
  }

  @Test
  void aSaturatedCountKeepsTheTotalsAtTheLargestLongInOneFileAndAcrossFiles() throws IOException {
    String huge =
        LogLines.at(T0)
            .usage(
                "{\"prompt_tokens\":9223372036854775807,\"completion_tokens\":9223372036854775806}")
            .line();
    String small = LogLines.at(T0.plusSeconds(1)).openAiUsage(5, 7).line();
    Path one = LogLines.write(dir.resolve("one.jsonl"), List.of(huge, small));
    Path first = LogLines.write(dir.resolve("first.jsonl"), List.of(huge));
    Path second = LogLines.write(dir.resolve("second.jsonl"), List.of(small));

    for (StatsReport r :
        List.of(LogStats.read(List.of(one), null), LogStats.read(List.of(first, second), null))) {
      assertThat(r.endpoints())
          .extracting(GroupRow::inputTokens, GroupRow::outputTokens)
          .containsExactly(tuple(Long.MAX_VALUE, Long.MAX_VALUE));
    }
  }

  @Test
  void aRecordSpreadOverTwoLinesIsTwoBadLines() throws IOException {
    String whole = ok(1);
    int cut = whole.indexOf(",\"status\"");
    Path file =
        LogLines.write(
            dir.resolve("log.jsonl"),
            List.of(ok(2), whole.substring(0, cut + 1), whole.substring(cut + 1), ok(3)));

    StatsReport r = LogStats.read(List.of(file), null);

    assertThat(r.requests()).isEqualTo(2);
    assertThat(r.malformedLines()).isEqualTo(2);
  }

  @Test
  void pastTheRowCapTheRowsAreTheFirstNamesMetWhateverTheCoresReadingThem() throws IOException {
    // Two files with the same 300 models, the second in reverse: read side by side, each file's
    // own cap would put different names in "(other)" than reading them in order does.
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      first.add(LogLines.at(T0.plusSeconds(i)).model("m%03d".formatted(i)).line());
      second.add(LogLines.at(T0.plusSeconds(600 - i)).model("m%03d".formatted(299 - i)).line());
    }
    List<String> both = new ArrayList<>(first);
    both.addAll(second);
    List<Path> files =
        List.of(
            LogLines.write(dir.resolve("a.jsonl"), first),
            LogLines.write(dir.resolve("b.jsonl"), second));
    Path one = LogLines.write(dir.resolve("one.jsonl"), both);

    StatsReport sideBySide = LogStats.read(files, null);
    StatsReport inOrder = LogStats.read(List.of(one), null);

    assertThat(sideBySide.models()).hasSize(Tally.MAX_ROWS + 1).isEqualTo(inOrder.models());
    assertThat(sideBySide.models().getLast().name()).isEqualTo(Tally.OTHER_ROWS);
    assertThat(sideBySide.models().getLast().requests()).isEqualTo(200); // m200..m299, twice
  }

  @Test
  void manyFilesReadSideBySideAddUpToTheSameFiguresAsOne() throws IOException {
    List<Path> files = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (int f = 0; f < 9; f++) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        int n = f * 30 + i;
        LogLines line =
            LogLines.at(T0.plusSeconds(n))
                .model("m" + n % 4)
                .provider(n % 5 == 0 ? "b" : "a")
                .duration(1 + n * 7 % 300)
                .openAiUsage(n, 1);
        if (n % 5 == 0) {
          line.attempt("a", 429, "rate_limited", "fallback").attempt("b", 200, null, "success");
        } else {
          line.attempt("a", 200, null, "success");
        }
        if (n % 3 == 0) {
          line.stream(n % 2 == 0, n % 50);
        }
        lines.add(line.line());
      }
      if (f == 4 || f == 7) {
        lines.add(2, "not json");
      }
      files.add(LogLines.write(dir.resolve("part" + f + ".jsonl"), lines));
      all.addAll(lines);
    }
    Path one = LogLines.write(dir.resolve("all.jsonl"), all);

    StatsReport parts = LogStats.read(files, null);
    StatsReport whole = LogStats.read(List.of(one), null);

    assertThat(parts.requests()).isEqualTo(270);
    assertThat(parts.endpoints()).isEqualTo(whole.endpoints());
    assertThat(parts.providers()).isEqualTo(whole.providers());
    assertThat(parts.models()).isEqualTo(whole.models());
    assertThat(parts.first()).isEqualTo(whole.first());
    assertThat(parts.last()).isEqualTo(whole.last());
    assertThat(parts.malformedLines()).isEqualTo(2);
    assertThat(parts.firstMalformed()).isEqualTo(files.get(4) + ":3"); // the first in file order
    assertThat(parts.files()).isEqualTo(files);
  }

  @Test
  void aFileThatCannotBeReadStopsTheRead() throws IOException {
    Path good = LogLines.write(dir.resolve("good.jsonl"), List.of(ok(1)));
    Path gone = dir.resolve("gone.jsonl");

    assertThatThrownBy(() -> LogStats.read(List.of(good, gone, good), null))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("gone.jsonl");
  }

  @Test
  void anEmptyFileHasNoRequests() throws IOException {
    Path file = Files.createFile(dir.resolve("log.jsonl"));

    StatsReport r = LogStats.read(List.of(file), null);

    assertThat(r.requests()).isZero();
    assertThat(r.first()).isNull();
    assertThat(r.endpoints()).isEmpty();
  }
}
