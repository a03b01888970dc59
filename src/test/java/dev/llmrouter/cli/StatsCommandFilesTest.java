package dev.llmrouter.cli;

import static dev.llmrouter.cli.StatsCli.SESSION;
import static dev.llmrouter.cli.StatsCli.at;
import static dev.llmrouter.cli.StatsCli.json;
import static dev.llmrouter.cli.StatsCli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmrouter.cli.StatsCli.Result;
import dev.llmrouter.stats.StatsReport;
import dev.llmrouter.testkit.LogLines;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code stats}: which files it reads, in which order, since when, and its errors. */
class StatsCommandFilesTest {

  @TempDir Path dir;

  @Test
  void rotatedFilesAreReadInOrderOfTheirNumber() {
    List<String> names = new ArrayList<>();
    for (String suffix : List.of("_10", "", "_3", "_2")) {
      String line = LogLines.at(at(1)).provider("A").line();
      // Each rotation's bad line says which file was read first: only the first is named.
      LogLines.write(dir.resolve(SESSION + suffix + ".jsonl"), List.of(line, "{bad" + suffix));
    }
    for (String suffix : List.of("", "_2", "_3", "_10")) {
      names.add(dir.resolve(SESSION + suffix + ".jsonl").toString());
    }
    names.addFirst(dir.resolve("router_20261204_235959_ffff0002.jsonl").toString());
    LogLines.write(Path.of(names.getFirst()), List.of(LogLines.at(at(0)).line(), "{bad-older"));

    JsonNode r = json(run("stats", "--log-dir", dir.toString(), "--json"));

    assertThat(r.path("files").valueStream().map(JsonNode::asString).toList())
        .containsExactlyElementsOf(names);
    assertThat(r.path("requests").asLong()).isEqualTo(5);
    assertThat(r.path("malformed_lines").asLong()).isEqualTo(5);
    assertThat(r.path("first_malformed").asString()).isEqualTo(names.getFirst() + ":2");
  }

  @Test
  void sinceCountsOnlyRecordsAtOrAfterIt() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<LogLines> lines = new ArrayList<>();
    for (long minutesAgo : new long[] {300, 150, 90, 30, 5}) {
      lines.add(LogLines.at(now.minus(minutesAgo, ChronoUnit.MINUTES)).provider("A"));
    }
    LogLines.write(dir.resolve(SESSION + ".jsonl"), lines);
    Instant cut = now.minus(90, ChronoUnit.MINUTES);

    JsonNode twoHours = json(run("stats", "--log-dir", dir.toString(), "--since", "2h", "--json"));
    JsonNode atOne = json(run("stats", "--log-dir", dir.toString(), "--since=" + cut, "--json"));
    JsonNode week = json(run("stats", "--log-dir", dir.toString(), "--since", "7d", "--json"));
    Result none = run("stats", "--log-dir", dir.toString(), "--since", "1m");

    assertThat(twoHours.path("requests").asLong()).isEqualTo(3);
    assertThat(atOne.path("requests").asLong()).isEqualTo(3); // at the cut counts
    assertThat(atOne.path("since").asString()).isEqualTo(cut.toString());
    assertThat(atOne.path("first").asString()).isEqualTo(cut.toString());
    assertThat(week.path("requests").asLong()).isEqualTo(5);
    assertThat(none.code()).isZero(); // logs, just no request since: a report of zero
    assertThat(none.out()).startsWith("0 requests in 1 file").contains("by endpoint: no requests");
  }

  @Test
  void anEmptyOrMissingFolderIsOneLineAndExit1() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Files.writeString(empty.resolve(SESSION + "_errors.jsonl"), "{}\n"); // no main log
    Path missing = dir.resolve("missing");

    for (List<String> args :
        List.of(
            List.of("stats", "--log-dir", empty.toString()),
            List.of("stats", "--log-dir", missing.toString()),
            List.of("stats", empty.toString(), "--json"))) { // a folder named as an operand
      Result r = run(args.toArray(String[]::new));

      assertThat(r.code()).as("%s", args).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines().toList())
          .singleElement()
          .asString()
          .startsWith("llm-api-router: no request logs in " + folderIn(args));
    }
  }

  private String folderIn(List<String> args) {
    return args.stream().filter(a -> a.startsWith(dir.toString())).findFirst().orElseThrow();
  }

  @Test
  void aNamedFileThatIsMissingIsOneLineAndExit1() {
    Result r = run("stats", dir.resolve("nope.jsonl").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines().toList())
        .singleElement()
        .asString()
        .contains("cannot read")
        .contains("nope.jsonl");
  }

  @Test
  void aFileRotationDeletedAfterTheListingIsNotAnError() throws IOException {
    LogLines.write(dir.resolve(SESSION + ".jsonl"), List.of(LogLines.at(at(1)).line()));
    LogLines.write(dir.resolve(SESSION + "_2.jsonl"), List.of(LogLines.at(at(2)).line()));
    List<Path> listed = dev.llmrouter.stats.LogFiles.in(dir);
    Files.delete(listed.getFirst()); // keep_files pruned the oldest while stats started
    Command.Stats stats = new Command.Stats(null, dir, List.of(), null, false);

    StatsReport r = StatsCommand.read(stats, dir, listed);

    assertThat(r.files()).containsExactly(dir.resolve(SESSION + "_2.jsonl"));
    assertThat(r.requests()).isEqualTo(1);
    // A file named on the command line that is missing stays an error.
    assertThatThrownBy(() -> StatsCommand.read(stats, null, listed))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aFileOrFolderWithoutPermissionSaysSoAndHowToReadIt() {
    String why =
        StatsCommand.why(
            new AccessDeniedException("/var/log/llm-api-router/x.jsonl"), "llm-api-router");
    String fromJar =
        StatsCommand.why(
            new AccessDeniedException("/logs/x.jsonl"), "java -jar target/llm-api-router.jar");
    String other =
        StatsCommand.why(
            new FileSystemException("/logs/x.jsonl", null, "Is a directory"), "llm-api-router");

    assertThat(why)
        .startsWith("/var/log/llm-api-router/x.jsonl: permission denied")
        .contains("sudo -u llm-api-router llm-api-router stats --log-dir DIR")
        .doesNotContain("Exception");
    assertThat(fromJar)
        .contains("sudo -u llm-api-router java -jar target/llm-api-router.jar stats --log-dir DIR");
    assertThat(other).isEqualTo("/logs/x.jsonl: Is a directory");
  }

  @Test
  void aFileGivenAsTheLogFolderIsNamedAsAFile() throws IOException {
    Path file = dir.resolve(SESSION + ".jsonl");
    LogLines.write(file, List.of(LogLines.at(at(1)).line()));

    Result r = run("stats", "--log-dir", file.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("is a file, not a folder");
  }

  @Test
  void afterADoubleDashEveryArgumentIsAFile() throws IOException {
    Path odd = dir.resolve("-odd.jsonl");
    LogLines.write(odd, List.of(LogLines.at(at(1)).line()));

    Result r = run("stats", "--json", "--", odd.toString());

    assertThat(json(r).path("requests").asLong()).isEqualTo(1);
    assertThat(run("stats", "--", "--json").err()).contains("cannot read --json");
  }

  @Test
  void usageErrorsExit2() {
    Result both = run("stats", "--log-dir", dir.toString(), "some.jsonl");
    Result since = run("stats", "--since", "yesterday");
    Result flag = run("stats", "--port", "1");

    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--log-dir").contains("not both");
    assertThat(since.code()).isEqualTo(2);
    assertThat(since.err()).contains("'yesterday'").contains("30m, 2h, 7d");
    assertThat(flag.code()).isEqualTo(2);
    // Operands are for stats only.
    assertThat(run("check", "file.json").code()).isEqualTo(2);
  }

  @Test
  void helpDescribesStats() {
    Result general = run("--help");
    Result own = run("stats", "--help");

    assertThat(general.out()).contains("stats").contains("--since");
    assertThat(own.code()).isZero();
    assertThat(own.out())
        .startsWith("Usage: llm-api-router stats")
        .contains("--log-dir", "--since", "--json", "--config", "FILE...", "_errors.jsonl");
  }
}
