package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code stats} run in process, for the stats command tests. */
final class StatsCli {

  private StatsCli() {}

  static final String SESSION = "router_20261205_100000_aaaa0001";

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Cli.run(args, o, e, Map.of());
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static JsonNode json(Result r) {
    assertThat(r.code()).as(r.err()).isZero();
    return Json.MAPPER.readTree(r.out());
  }

  static String at(int minute) {
    return "2026-12-05T10:%02d:00Z".formatted(minute);
  }
}
