package dev.llmrouter.bench;

import com.sun.net.httpserver.Headers;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.upstream.ModelRewrite;
import dev.llmrouter.wire.SseFraming;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The regression guard of the request hot path (make microbench): routing-field extraction, the
 * model rewrite, header filtering both ways, and SSE event framing, each timed in ns per operation.
 * Not a test (surefire runs only *Test classes): a plain main, so it needs no benchmark framework.
 *
 * <p>Method: each case runs for {@value #WARMUP_MILLIS} ms to let the JIT compile it, then {@value
 * #ROUNDS} rounds of {@value #ROUND_MILLIS} ms; the median round is printed, with the spread of the
 * rounds. Every result feeds a sink, so the JIT cannot drop the work.
 */
public final class HotPathBench {

  static final long WARMUP_MILLIS = 1500;
  static final long ROUND_MILLIS = 400;
  static final int ROUNDS = 7;

  /** Written at the end so that no result is dead code. */
  private static volatile long sink;

  private HotPathBench() {}

  /** One operation of a case; returns something derived from its result. */
  @FunctionalInterface
  public interface Op {
    long run() throws Throwable;
  }

  public static void main(String[] args) throws Throwable {
    String filter = args.length > 0 ? args[0] : "";
    System.out.printf(
        Locale.ROOT,
        "hot-path microbenchmark (%s %s), median of %d rounds%n",
        System.getProperty("java.vm.name"),
        Runtime.version(),
        ROUNDS);
    System.out.printf(Locale.ROOT, "%-50s %12s %18s%n", "case", "ns/op", "spread (min-max)");

    MethodHandle readFields = requestFieldsReader();
    byte[] small = smallChatBody();
    byte[] large = largeChatBody();
    run(
        filter,
        "RequestFields.read small (" + small.length + " B)",
        () -> fields(readFields, small));
    run(
        filter,
        "RequestFields.read large (" + large.length + " B)",
        () -> fields(readFields, large));

    // Issue: the model rewrite is a byte splice, one copy, no parse (RequestFields found the spot).
    for (int kib : new int[] {1, 100}) {
      byte[] body = bodyOfSize(kib * 1024);
      ModelRewrite rewrite = new ModelRewrite(MODEL_START, MODEL_END);
      run(
          filter,
          "ModelRewrite.apply (" + body.length + " B)",
          () -> rewrite.apply(body, "openai/gpt-4o").length);
    }

    Headers clientHeaders = sdkRequestHeaders();
    run(
        filter,
        "HeaderPolicy.toUpstream (" + clientHeaders.size() + " headers)",
        () -> HeaderPolicy.toUpstream(clientHeaders).size());
    HttpHeaders upstreamHeaders = providerResponseHeaders();
    run(
        filter,
        "HeaderPolicy.toClient (" + upstreamHeaders.map().size() + " headers)",
        () -> HeaderPolicy.toClient(upstreamHeaders, 200).size());

    TranslationBench.run(filter);
    dev.llmrouter.logging.LogLineBench.run(filter);

    byte[] openAi = openAiStream(40);
    run(filter, "SseFraming.Reader, OpenAI stream (per event)", () -> frame(openAi));
    byte[] anthropic = anthropicStream(40);
    run(filter, "SseFraming.Reader, Anthropic stream (per event)", () -> frame(anthropic));
    if (sink == 42) {
      System.out.println();
    }
  }

  /** Times {@code op}; the per-event cases report the time per event of their stream. */
  public static void run(String filter, String name, Op op) throws Throwable {
    if (!name.contains(filter)) {
      return;
    }
    int perEvent = name.contains("per event") ? (name.contains("OpenAI") ? 42 : 46) : 1;
    long acc = 0;
    long end = System.nanoTime() + WARMUP_MILLIS * 1_000_000;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        acc += op.run();
      }
    }
    double[] nsPerOp = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long ops = 0;
      long start = System.nanoTime();
      long stop = start + ROUND_MILLIS * 1_000_000;
      long now;
      do {
        for (int i = 0; i < 100; i++) {
          acc += op.run();
        }
        ops += 100;
        now = System.nanoTime();
      } while (now < stop);
      nsPerOp[r] = (double) (now - start) / ops / perEvent;
    }
    sink = sink ^ acc; // single-threaded: only keeps acc alive
    double[] sorted = nsPerOp.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-50s %12.1f %8.1f - %-8.1f%n",
        name,
        sorted[ROUNDS / 2],
        sorted[0],
        sorted[ROUNDS - 1]);
  }

  // ------------------------------------------------------------------ routing fields

  /** Where {@code "gpt-4o"} sits in {@link #bodyOfSize}: the value's quotes included. */
  private static final int MODEL_START = 9;

  private static final int MODEL_END = 17;

  /** A chat body of about {@code bytes} bytes whose first field is the model, {@code gpt-4o}. */
  private static byte[] bodyOfSize(int bytes) {
    StringBuilder sb = new StringBuilder("{\"model\":\"gpt-4o\",\"messages\":[");
    String turn = "{\"role\":\"user\",\"content\":\"Summarise the quarterly report in detail.\"},";
    while (sb.length() + turn.length() + 2 < bytes) {
      sb.append(turn);
    }
    sb.setLength(sb.length() - 1);
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code server.RequestFields.read} is package-private: reached once, reflectively. */
  private static MethodHandle requestFieldsReader() throws ReflectiveOperationException {
    Class<?> type = Class.forName("dev.llmrouter.server.RequestFields");
    Method read = type.getDeclaredMethod("read", byte[].class);
    read.setAccessible(true);
    return MethodHandles.lookup()
        .unreflect(read)
        .asType(MethodType.methodType(Object.class, byte[].class));
  }

  private static long fields(MethodHandle read, byte[] body) throws Throwable {
    Object fields = (Object) read.invokeExact(body);
    return fields.hashCode();
  }

  private static byte[] smallChatBody() {
    return ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a"
            + " helpful assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short"
            + " sentence.\"}],\"max_tokens\":64,\"temperature\":0.2,\"stream\":false}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A 30-turn conversation with tools: the fields the router needs come after it all. */
  private static byte[] largeChatBody() {
    StringBuilder b = new StringBuilder("{\"messages\":[");
    for (int i = 0; i < 30; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"role\":\"")
          .append(i % 2 == 0 ? "user" : "assistant")
          .append("\",\"content\":\"")
          .append("Turn ")
          .append(i)
          .append(
              ": some text with \\\"quotes\\\", unicode \\u00e9 and numbers 3.14159. ".repeat(8))
          .append("\"}");
    }
    b.append("],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",")
        .append(
            "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},")
        .append("\"required\":[\"city\"]}}}],\"model\":\"gpt-4o\",\"stream\":true}");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ headers

  /** What the OpenAI Python SDK sends, as the JDK server hands it over. */
  private static Headers sdkRequestHeaders() {
    Headers h = new Headers();
    h.add("Host", "127.0.0.1:8000");
    h.add("Accept-Encoding", "gzip, deflate");
    h.add("Connection", "keep-alive");
    h.add("Accept", "application/json");
    h.add("Content-Type", "application/json");
    h.add("User-Agent", "OpenAI/Python 1.54.0");
    h.add("X-Stainless-Lang", "python");
    h.add("X-Stainless-Package-Version", "1.54.0");
    h.add("X-Stainless-Os", "Linux");
    h.add("X-Stainless-Arch", "x64");
    h.add("X-Stainless-Runtime", "CPython");
    h.add("X-Stainless-Runtime-Version", "3.12.3");
    h.add("Authorization", "Bearer sk-client-not-forwarded");
    h.add("X-Stainless-Retry-Count", "0");
    h.add("Content-Length", "182");
    return h;
  }

  private static HttpHeaders providerResponseHeaders() {
    Map<String, List<String>> m =
        Map.ofEntries(
            Map.entry("content-type", List.of("application/json")),
            Map.entry("date", List.of("Tue, 25 Nov 2026 12:00:00 GMT")),
            Map.entry("content-length", List.of("412")),
            Map.entry("connection", List.of("keep-alive")),
            Map.entry("openai-organization", List.of("org-x")),
            Map.entry("openai-processing-ms", List.of("312")),
            Map.entry("openai-version", List.of("2020-10-01")),
            Map.entry("x-ratelimit-limit-requests", List.of("10000")),
            Map.entry("x-ratelimit-remaining-requests", List.of("9999")),
            Map.entry("x-ratelimit-reset-requests", List.of("6ms")),
            Map.entry("x-request-id", List.of("req_0123456789abcdef")),
            Map.entry("set-cookie", List.of("__cf_bm=abc; path=/; HttpOnly")),
            Map.entry("server", List.of("cloudflare")),
            Map.entry("cf-ray", List.of("8e0123456789-AMS")));
    return HttpHeaders.of(m, (a, b) -> true);
  }

  // ------------------------------------------------------------------ SSE framing

  /** Reads every event of {@code stream}; returns the number of raw bytes seen. */
  private static long frame(byte[] stream) throws IOException {
    SseFraming.Reader reader = new SseFraming.Reader(new ByteArrayInputStream(stream));
    long bytes = 0;
    SseFraming.Event e;
    while ((e = reader.next()) != null) {
      bytes += e.raw().length;
    }
    return bytes;
  }

  /** 40 content chunks plus the final chunk and [DONE]: 42 events. */
  private static byte[] openAiStream(int words) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < words; i++) {
      events.add(
          "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
              + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word"
              + i
              + " \"},\"finish_reason\":null}]}");
    }
    events.add(
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"finish_reason\":\"stop\"}]}");
    events.add("data: [DONE]");
    return (String.join("\n\n", events) + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** message_start, block start, 40 deltas, block stop, message_delta, message_stop: 46 events. */
  private static byte[] anthropicStream(int words) {
    List<String> events = new ArrayList<>();
    events.add(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude\","
            + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
    events.add(
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    for (int i = 0; i < words; i++) {
      events.add(
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\"word"
              + i
              + " \"}}");
    }
    events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}");
    events.add(
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"end_turn\"},\"usage\":{\"output_tokens\":40}}");
    events.add("event: message_stop\ndata: {\"type\":\"message_stop\"}");
    return (String.join("\n\n", events) + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
