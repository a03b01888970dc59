package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** What a router left in its log directory, read back for tests. */
final class LogDir {

  private LogDir() {}

  /** Every regular file in {@code dir}, by name. */
  static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The main log files ({@code router_*.jsonl} but not {@code *_errors.jsonl}), by name. */
  static List<Path> mainFiles(Path dir) {
    return files(dir).stream()
        .filter(p -> name(p).startsWith("router_") && name(p).endsWith(".jsonl"))
        .filter(p -> !name(p).endsWith("_errors.jsonl"))
        .toList();
  }

  static Path errorsFileOf(Path mainFile) {
    return mainFile.resolveSibling(name(mainFile).replace(".jsonl", "_errors.jsonl"));
  }

  static String name(Path p) {
    return p.getFileName().toString();
  }

  /** Every line of a file, each checked to be one JSON object. */
  static List<JsonNode> records(Path file) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines(file)) {
      JsonNode node = Json.MAPPER.readTree(line);
      assertThat(node.isObject()).as("a line of %s is a JSON object: %s", file, line).isTrue();
      out.add(node);
    }
    return out;
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits (bounded: 5 s) until {@code check} holds; the writer thread writes a record milliseconds
   * after its request ended, and nothing signals it to a test.
   */
  static void await(String what, BooleanSupplier check) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!check.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(check.getAsBoolean()).as("%s within 5 s", what).isTrue();
  }

  /** The files of {@code dir} whose bytes contain {@code marker}. */
  static List<String> filesContaining(Path dir, String marker) {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    List<String> hits = new ArrayList<>();
    for (Path p : files(dir)) {
      try {
        if (indexOf(Files.readAllBytes(p), needle) >= 0) {
          hits.add(name(p));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return hits;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
