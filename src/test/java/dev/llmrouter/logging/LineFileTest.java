package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log file's buffer on a real file whose writes can be made to fail part-way, as a full disk
 * fails them (some bytes reach the file, then ENOSPC).
 */
class LineFileTest {

  @TempDir Path dir;

  /** A real file; while {@code roomLeft} is not negative, a write takes that much and fails. */
  private static final class Disk implements LineFile.Sink, AutoCloseable {
    final FileOutputStream out;
    int roomLeft = -1;

    Disk(Path file) throws IOException {
      out = new FileOutputStream(file.toFile(), true);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (roomLeft >= 0 && len > roomLeft) {
        out.write(b, off, roomLeft); // what fits goes, as write(2) does before ENOSPC
        roomLeft = 0;
        throw new IOException("No space left on device");
      }
      out.write(b, off, len);
    }

    @Override
    public void truncate(long size) throws IOException {
      out.getChannel().truncate(size);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  private static void line(LineFile f, String text) {
    f.write(text.getBytes(StandardCharsets.UTF_8), 0, text.length());
    f.write('\n');
  }

  @Test
  void aWriteThatFailsPartWayLeavesWholeLinesOnlyAndNoLineTwice() throws Exception {
    Path file = dir.resolve("log.jsonl");
    try (Disk disk = new Disk(file)) {
      LineFile f = new LineFile(disk, 0);
      line(f, "{\"n\":1}");
      line(f, "{\"n\":2}");
      f.flush();

      disk.roomLeft = 5; // half of the next line gets through
      line(f, "{\"n\":3}");
      line(f, "{\"n\":4}");
      assertThatThrownBy(f::flush)
          .isInstanceOfSatisfying(LineFile.LinesLost.class, e -> assertThat(e.lines).isEqualTo(2))
          .hasMessageContaining("No space left");
      assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}");

      disk.roomLeft = -1; // room again
      line(f, "{\"n\":5}");
      f.flush();
      assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":5}");
      assertThat(f.size()).isEqualTo(Files.size(file));
    }
  }

  @Test
  void aLineBeingWrittenWhenTheBufferFillsSurvivesTheFailureOfTheLinesBeforeIt() throws Exception {
    Path file = dir.resolve("log.jsonl");
    String filler = "x".repeat(1000);
    try (Disk disk = new Disk(file)) {
      LineFile f = new LineFile(disk, 0);
      disk.roomLeft = 100;
      for (int i = 0; i < 70; i++) { // past 64 KB: whole lines go out while one is half written
        line(f, "{\"n\":" + i + ",\"pad\":\"" + filler + "\"}");
      }
      String big = "{\"big\":\"" + "y".repeat(200_000) + "\"}"; // longer than the buffer
      f.write(big.getBytes(StandardCharsets.UTF_8), 0, 10);
      disk.roomLeft = -1;
      f.write(big.getBytes(StandardCharsets.UTF_8), 10, big.length() - 10);
      f.write('\n');

      assertThatThrownBy(f::flush).isInstanceOf(LineFile.LinesLost.class);
      f.flush(); // the loss was said once
      List<String> lines = Files.readAllLines(file);
      assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("{") && l.endsWith("}"));
      assertThat(lines.get(lines.size() - 1)).isEqualTo(big);
      assertThat(lines.stream().distinct().count()).isEqualTo(lines.size());
    }
  }

  @Test
  void aLineLongerThanTheBufferThatFailsPartWayIsCutOutWhole() throws Exception {
    Path file = dir.resolve("log.jsonl");
    String big = "{\"big\":\"" + "z".repeat(300_000) + "\"}";
    try (Disk disk = new Disk(file)) {
      LineFile f = new LineFile(disk, 0);
      line(f, "{\"n\":1}");
      f.flush();
      disk.roomLeft = 150_000; // the long line goes to the file as it comes, and stops half-way
      f.write(big.getBytes(StandardCharsets.UTF_8), 0, 200_000);
      disk.roomLeft = -1;
      f.write(big.getBytes(StandardCharsets.UTF_8), 200_000, big.length() - 200_000);
      f.write('\n');
      line(f, "{\"n\":2}");

      assertThatThrownBy(f::flush)
          .isInstanceOfSatisfying(LineFile.LinesLost.class, e -> assertThat(e.lines).isEqualTo(1));
      assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}");
      assertThat(f.size()).isEqualTo(Files.size(file));
    }
  }
}
