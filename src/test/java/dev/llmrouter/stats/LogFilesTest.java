package dev.llmrouter.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

  @TempDir Path dir;

  private void touch(String... names) throws IOException {
    for (String name : names) {
      Files.writeString(dir.resolve(name), "");
    }
  }

  private List<String> names() throws IOException {
    return LogFiles.in(dir).stream().map(p -> p.getFileName().toString()).toList();
  }

  @Test
  void mainLogsInTheOrderWrittenRotatedOnesByNumberNotByName() throws IOException {
    touch(
        "router_20261205_100000_bbbb0000_10.jsonl",
        "router_20261205_100000_bbbb0000_2.jsonl",
        "router_20261204_230000_ffff0000.jsonl",
        "router_20261205_100000_bbbb0000.jsonl",
        "router_20261205_100000_aaaa0000.jsonl",
        "router_20261205_120000_cccc0000.jsonl",
        "router_20261205_100000_bbbb0000_3.jsonl");

    assertThat(names())
        .containsExactly(
            "router_20261204_230000_ffff0000.jsonl",
            "router_20261205_100000_aaaa0000.jsonl",
            "router_20261205_100000_bbbb0000.jsonl",
            "router_20261205_100000_bbbb0000_2.jsonl",
            "router_20261205_100000_bbbb0000_3.jsonl",
            "router_20261205_100000_bbbb0000_10.jsonl",
            "router_20261205_120000_cccc0000.jsonl");
  }

  @Test
  void errorsFilesAndOtherFilesAreLeftOut() throws IOException {
    touch(
        "router_20261205_100000_bbbb0000.jsonl",
        "router_20261205_100000_bbbb0000_errors.jsonl",
        "router_20261205_100000_bbbb0000_2_errors.jsonl",
        "router_20261205_100000_bbbb0000.jsonl.gz",
        "notes.jsonl",
        "router.log");
    Files.createDirectory(dir.resolve("router_20261205_110000_dddd0000.jsonl"));

    assertThat(names()).containsExactly("router_20261205_100000_bbbb0000.jsonl");
  }

  @Test
  void aMissingFolderOrAFileSaysSo() throws IOException {
    touch("file");

    assertThatThrownBy(() -> LogFiles.in(dir.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> LogFiles.in(dir.resolve("file")))
        .isInstanceOf(NotDirectoryException.class);
    assertThat(LogFiles.in(dir)).isEmpty();
  }
}
