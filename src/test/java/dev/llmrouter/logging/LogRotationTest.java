package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code logging.max_file_mb} and {@code logging.keep_files} over real sockets. The size limit is
 * set in bytes through the embedding API (the config's unit is a MiB), so a few hundred requests
 * rotate many times.
 */
class LogRotationTest {

  private static final Pattern NAME =
      Pattern.compile("router_(\\d{8}_\\d{6})_([0-9a-f]{8})(?:_(\\d+))?\\.jsonl");

  /** About 1 KB of prompt, so that a line is well over 1 KB. */
  private static final String PADDED_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
          + "x".repeat(1000)
          + "\"}]}";

  @TempDir Path dir;
  private FakeUpstream upstream;
  private RouterHarness router;

  @BeforeEach
  void startUpstream() {
    upstream = FakeUpstream.start();
    upstream.always(Reply.openAiOk());
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    upstream.close();
  }

  private String send(String body) {
    HttpResponse<String> r = router.post("/openai/chat/completions", body);
    return r.headers().firstValue("x-router-request-id").orElseThrow();
  }

  /** The sequence number in a main file's name: 1 for the first file, which has none. */
  private static int sequence(Path mainFile) {
    Matcher m = NAME.matcher(LogDir.name(mainFile));
    assertThat(m.matches()).as("named like the router's files: %s", mainFile).isTrue();
    return m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
  }

  private static String session(Path mainFile) {
    Matcher m = NAME.matcher(LogDir.name(mainFile));
    assertThat(m.matches()).isTrue();
    return m.group(2);
  }

  @Test
  void concurrentRequestsRotateBetweenLinesAndLoseOrSplitNothing() throws Exception {
    long max = 12 * 1024;
    router =
        RouterHarness.builder()
            .openai("first", upstream)
            .logDir(dir)
            .logging(s -> s.withMaxFileBytes(max))
            .start();
    int threads = 8;
    int each = 20;
    Set<String> sent = Collections.synchronizedSet(new HashSet<>());
    Set<String> failed = Collections.synchronizedSet(new HashSet<>());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    for (int i = 0; i < each; i++) {
                      // Every fifth request is refused by the router (not JSON): the errors file
                      // must rotate with the main one.
                      boolean bad = i % 5 == 0;
                      String id = send(bad ? "not json " + "y".repeat(1000) : PADDED_CHAT);
                      sent.add(id);
                      if (bad) {
                        failed.add(id);
                      }
                    }
                  }));
    }
    go.countDown();
    for (Thread t : clients) {
      assertThat(t.join(Duration.ofSeconds(60))).as("clients done within 60 s").isTrue();
    }
    router.router().close();
    assertThat(sent).hasSize(threads * each);

    // Main files by sequence number: 1, 2, 3... without a gap, all of one session.
    TreeMap<Integer, Path> mains = new TreeMap<>();
    for (Path p : LogDir.mainFiles(dir)) {
      assertThat(mains.put(sequence(p), p)).as("one file per sequence number").isNull();
    }
    assertThat(mains.size()).as("rotated several times").isGreaterThanOrEqualTo(10);
    assertThat(mains.keySet()).containsExactlyElementsOf(rangeClosed(1, mains.size()));
    assertThat(mains.values().stream().map(LogRotationTest::session).distinct()).hasSize(1);
    assertThat(mains.lastEntry().getValue()).isEqualTo(router.router().logFile());
    assertThat(LogDir.files(dir)).hasSize(2 * mains.size()); // each with its errors file

    Map<String, Integer> seen = new HashMap<>();
    Set<String> inErrors = new HashSet<>();
    for (Path main : mains.values()) {
      List<JsonNode> lines = LogDir.records(main); // every line parses: none was split
      Set<String> here = new HashSet<>();
      for (JsonNode n : lines) {
        String id = n.path("request_id").asString();
        seen.merge(id, 1, Integer::sum);
        here.add(id);
      }
      long size = Files.size(main);
      if (!main.equals(mains.lastEntry().getValue())) {
        // Rotation waits for the limit, and happens before the line after it.
        assertThat(size).as("%s", main).isGreaterThanOrEqualTo(max).isLessThan(max + 4096);
      }
      for (JsonNode n : LogDir.records(LogDir.errorsFileOf(main))) {
        String id = n.path("request_id").asString();
        assertThat(here).as("an errors line sits beside its main line").contains(id);
        assertThat(inErrors.add(id)).as("once in the errors files: %s", id).isTrue();
      }
    }
    assertThat(seen.keySet()).isEqualTo(sent);
    assertThat(seen.values()).as("every record exactly once").containsOnly(1);
    assertThat(inErrors).isEqualTo(failed);
  }

  @Test
  void keepFilesDeletesOnlyTheOldestOfTheRoutersOwnFiles() throws IOException {
    // A previous run's pairs, an errors file whose main file is gone, and files that are not ours.
    List<String> oldRun =
        List.of(
            "router_20200101_000000_aaaaaaaa.jsonl",
            "router_20200101_000000_aaaaaaaa_errors.jsonl",
            "router_20200101_000100_aaaaaaaa_2.jsonl",
            "router_20200101_000100_aaaaaaaa_2_errors.jsonl",
            "router_20200102_000000_bbbbbbbb_errors.jsonl");
    List<String> foreign =
        List.of(
            "notes.txt",
            "router_backup.jsonl",
            "router_20200101_000000_aaaaaaaa.jsonl.gz",
            "router_20200101_000000_aaaaaaaa_x.jsonl",
            "other_20200101_000000_aaaaaaaa.jsonl");
    for (String name : concat(oldRun, foreign)) {
      Files.writeString(dir.resolve(name), "{}\n");
    }

    router =
        RouterHarness.builder()
            .openai("first", upstream)
            .logDir(dir)
            .logging(s -> s.withKeepFiles(3).withMaxFileBytes(2048))
            .start();

    // At start: the new pair and the two newest old ones stay.
    assertThat(dir.resolve(oldRun.get(0))).doesNotExist();
    assertThat(dir.resolve(oldRun.get(1))).doesNotExist();
    for (String name : oldRun.subList(2, 5)) {
      assertThat(dir.resolve(name)).exists();
    }

    // More than ten rotations, some within one second: sequence 10 must count as newer than 9.
    for (int i = 0; i < 30; i++) {
      send(PADDED_CHAT);
    }
    router.router().close();

    List<Path> mains =
        LogDir.mainFiles(dir).stream().filter(p -> NAME.matcher(LogDir.name(p)).matches()).toList();
    List<Integer> sequences = mains.stream().map(LogRotationTest::sequence).sorted().toList();
    assertThat(sequences).hasSize(3);
    int last = sequences.get(2);
    assertThat(last).isGreaterThan(10);
    assertThat(sequences).containsExactly(last - 2, last - 1, last);
    assertThat(router.router().logFile()).isIn(mains);
    for (Path main : mains) {
      assertThat(LogDir.errorsFileOf(main)).exists();
    }
    for (String name : oldRun) {
      assertThat(dir.resolve(name)).doesNotExist();
    }
    for (String name : foreign) {
      assertThat(dir.resolve(name)).exists();
    }
    assertThat(LogDir.files(dir)).hasSize(6 + foreign.size());
  }

  @Test
  void aReloadChangesTheSizeLimitAndTheFileCountForTheRecordsAfterIt() {
    router = RouterHarness.builder().openai("first", upstream).logDir(dir).start();
    var config = router.router().config();
    for (int i = 0; i < 3; i++) {
      send(PADDED_CHAT);
    }
    Path first = router.router().logFile();
    LogDir.await("3 lines in the first file", () -> LogDir.lines(first).size() == 3);

    // Every line now passes the limit: each next record opens a new pair.
    router.router().reload(config.withLogging(config.logging().withMaxFileBytes(1)));
    for (int i = 0; i < 4; i++) {
      send(PADDED_CHAT);
    }
    LogDir.await("five files", () -> LogDir.mainFiles(dir).size() == 5);
    assertThat(LogDir.lines(first)).hasSize(3);
    assertThat(LogDir.mainFiles(dir).stream().map(LogRotationTest::sequence).sorted())
        .containsExactly(1, 2, 3, 4, 5);

    router
        .router()
        .reload(config.withLogging(config.logging().withMaxFileBytes(1).withKeepFiles(2)));
    router.router().close(); // after the writer has taken the new settings in
    List<Path> left = LogDir.mainFiles(dir);
    assertThat(left.stream().map(LogRotationTest::sequence).sorted()).containsExactly(4, 5);
    assertThat(LogDir.files(dir)).hasSize(4);
    for (Path main : left) {
      assertThat(LogDir.records(main)).hasSize(1);
    }
  }

  private static List<Integer> rangeClosed(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
