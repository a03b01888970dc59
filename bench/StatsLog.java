import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Request log generator for `make bench` (part g): writes RECORDS lines shaped like the router's
 * own (see RecordSerializer and the README's Logs section), spread over FILES rotated files
 * (router_20261205_100000_be4c0001.jsonl, then _2, _3...), plus the errors file beside them with a
 * copy of every failed line, as the router writes it. `stats` must skip that copy.
 *
 * <pre>
 * java bench/StatsLog.java DIR RECORDS FILES
 *   prints "records N", "failed N", "bytes N" (the main files' size)
 * </pre>
 *
 * The mix: two endpoints, six models, three providers per endpoint; a tenth of the requests fall
 * back after a 429 or a 503, one in fifty fails everywhere, three in ten stream, durations spread
 * over three orders of magnitude. A seeded random: the same arguments write the same bytes.
 *
 * <p>Lines are built with a StringBuilder, not a JSON library: this runs as a single source file
 * with the JDK alone, and every value written is a fixed word or a number (nothing to escape).
 */
public final class StatsLog {

  private static final String[] OPENAI_MODELS = {"gpt-4o-mini", "gpt-4o", "o3-mini"};
  private static final String[] ANTHROPIC_MODELS = {
    "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"
  };
  private static final String[][] PROVIDERS = {
    {"openai-primary", "openrouter", "local-vllm"},
    {"anthropic-primary", "anthropic-backup", "openrouter-anthropic"}
  };
  private static final String PROMPT =
      "You are a careful assistant. Summarise the following text in three sentences and keep"
          + " every number exactly as written. The quarterly figures rose by 12 percent while"
          + " costs fell by 3 percent, and the team shipped 41 changes in 9 weeks.";
  private static final String ANSWER =
      "Quarterly figures rose by 12 percent. Costs fell by 3 percent. The team shipped 41"
          + " changes in 9 weeks.";

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long records = Long.parseLong(args[1]);
    int files = Integer.parseInt(args[2]);
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(42);
    Instant start = Instant.parse("2026-12-05T10:00:00Z");
    String prefix = "router_20261205_100000_be4c0001";
    long perFile = (records + files - 1) / files;
    long written = 0;
    long failed = 0;
    long bytes = 0;
    try (OutputStream errors = out(dir.resolve(prefix + "_errors.jsonl"))) {
      for (int f = 1; f <= files && written < records; f++) {
        Path file = dir.resolve(prefix + (f == 1 ? "" : "_" + f) + ".jsonl");
        try (OutputStream main = out(file)) {
          for (long i = 0; i < perFile && written < records; i++, written++) {
            StringBuilder line = new StringBuilder(1400);
            boolean failure = line(line, random, start.plusMillis(written * 50), written);
            byte[] b = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
            main.write(b);
            if (failure) {
              errors.write(b);
              failed++;
            }
          }
        }
        bytes += Files.size(file);
      }
    }
    System.out.println("records " + written);
    System.out.println("failed " + failed);
    System.out.println("bytes " + bytes);
  }

  private static OutputStream out(Path file) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
  }

  /** Appends one record; true when the router would also write it to the errors file. */
  private static boolean line(StringBuilder s, SplittableRandom r, Instant time, long n) {
    int endpoint = r.nextInt(10) < 6 ? 0 : 1;
    String[] models = endpoint == 0 ? OPENAI_MODELS : ANTHROPIC_MODELS;
    String model = models[r.nextInt(models.length)];
    String[] providers = PROVIDERS[endpoint];
    boolean stream = r.nextInt(10) < 3;
    int fate = r.nextInt(100); // 0..1 all fail, 2..11 fall back once, the rest first try
    double duration = Math.exp(r.nextDouble(Math.log(20), Math.log(20_000))); // 20 ms .. 20 s
    int status = fate < 2 ? 502 : 200;
    String provider = fate < 2 ? null : fate < 12 ? providers[1] : providers[0];
    s.append("{\"request_id\":\"req_").append(String.format("%016x", n)).append('"');
    s.append(",\"time\":\"").append(time).append('"');
    s.append(",\"duration_ms\":").append(Math.round(duration * 1000) / 1000.0);
    s.append(",\"endpoint\":\"").append(endpoint == 0 ? "openai" : "anthropic").append('"');
    s.append(",\"path\":\"")
        .append(endpoint == 0 ? "/openai/v1/chat/completions" : "/anthropic/v1/messages")
        .append('"');
    s.append(",\"model\":\"").append(model).append('"');
    s.append(",\"stream\":").append(stream);
    s.append(",\"status\":").append(status);
    s.append(",\"provider\":").append(provider == null ? "null" : '"' + provider + '"');
    s.append(",\"client_key\":\"team-").append(n % 7).append('"');
    if (provider == null) {
      s.append(",\"error\":\"all providers failed\"");
    }
    s.append(",\"attempts\":[");
    if (fate < 12) {
      attempt(s, providers[0], model, r.nextBoolean() ? 429 : 503, "fallback");
      s.append(',');
      if (fate < 2) {
        attempt(s, providers[1], model, 0, "fallback");
        s.append(',');
        attempt(s, providers[2], model, 500, "fallback");
      } else {
        attempt(s, providers[1], model, 200, "success");
      }
    } else {
      attempt(s, providers[0], model, 200, "success");
    }
    s.append(']');
    s.append(",\"request\":{\"model\":\"").append(model).append("\",\"max_tokens\":512");
    s.append(",\"stream\":").append(stream).append(",\"messages\":[");
    s.append("{\"role\":\"user\",\"content\":\"").append(PROMPT).append("\"}]}");
    int in = 40 + r.nextInt(400);
    int out = 5 + r.nextInt(300);
    if (provider == null) {
      s.append(",\"response\":{\"error\":{\"message\":\"all providers failed\"}}}");
      return true;
    }
    if (stream) {
      s.append(",\"stream_result\":{\"completed\":true,\"end\":\"completed\",\"events\":")
          .append(out / 3 + 2)
          .append(",\"first_event_ms\":")
          .append(Math.round(duration * 300) / 1000.0)
          .append('}');
      s.append(",\"response\":{\"content\":\"").append(ANSWER).append("\"}");
    } else {
      s.append(",\"response\":{\"id\":\"resp-").append(n).append("\",\"model\":\"").append(model);
      s.append("\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"");
      s.append(ANSWER).append("\"},\"finish_reason\":\"stop\"}]}");
    }
    if (endpoint == 0) {
      s.append(",\"usage\":{\"prompt_tokens\":").append(in);
      s.append(",\"completion_tokens\":").append(out);
      s.append(",\"total_tokens\":").append(in + out).append('}');
    } else {
      s.append(",\"usage\":{\"input_tokens\":").append(in);
      s.append(",\"output_tokens\":").append(out).append('}');
    }
    s.append('}');
    return fate < 12;
  }

  /** status 0: no response arrived (a timeout). The classes are the router's for these. */
  private static void attempt(
      StringBuilder s, String provider, String model, int status, String action) {
    s.append("{\"provider\":\"").append(provider);
    s.append("\",\"model\":\"").append(model).append('"');
    if (status > 0) {
      s.append(",\"status\":").append(status);
    }
    String failure =
        switch (status) {
          case 0 -> "timeout";
          case 429 -> "rate_limited";
          case 503 -> "overloaded";
          case 500 -> "server_error";
          default -> null;
        };
    if (failure != null) {
      s.append(",\"class\":\"").append(failure).append('"');
      s.append(",\"detail\":\"upstream said no\"");
    }
    s.append(",\"duration_ms\":12.5,\"action\":\"").append(action).append("\"}");
  }
}
