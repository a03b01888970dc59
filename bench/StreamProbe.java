import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streaming probe for `make bench` (part e): a paced Anthropic-style SSE upstream and a raw-socket
 * client in one JVM, so both sides read the same clock. Every event carries the {@link
 * System#nanoTime()} at which the upstream wrote it ("t"); the client notes when its last byte
 * arrived. That difference is the relay delay of each event, measured directly and through the
 * router.
 *
 * <pre>
 * java bench/StreamProbe.java latency UPSTREAM_PORT ROUTER_PORT STREAMS EVENTS GAP_MS
 *   serves the upstream on UPSTREAM_PORT, then runs STREAMS sequential streams of EVENTS events
 *   GAP_MS apart, first directly, then through the router (POST /anthropic/v1/messages);
 *   prints one "key value" line per figure.
 * java bench/StreamProbe.java upstream UPSTREAM_PORT EVENTS GAP_MS
 *   only the upstream (for the open-streams test); stops on SIGTERM.
 * java bench/StreamProbe.java hold ROUTER_PORT STREAMS SECONDS
 *   opens STREAMS concurrent streams through the router, holds them SECONDS, and prints how many
 *   were opened, how many completed and how many failed.
 * </pre>
 *
 * Bounded: every stream has a fixed number of events, every socket a read timeout.
 */
public final class StreamProbe {

  private static final byte[] T_KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STOP = "message_stop".getBytes(StandardCharsets.US_ASCII);
  private static final String BODY =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

  public static void main(String[] args) throws Exception {
    // As a real provider's edge does: without it, small events meet Nagle plus delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    switch (args[0]) {
      case "latency" -> latency(args);
      case "upstream" -> {
        upstream(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
        System.out.println("stream upstream listening on " + args[1]);
        System.out.flush();
      }
      case "hold" -> hold(args);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  // ---------------------------------------------------------------- upstream

  private static HttpServer upstream(int port, int events, long gapMs) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> serveStream(ex, events, gapMs));
    server.start();
    return server;
  }

  private static void serveStream(HttpExchange ex, int events, long gapMs) throws IOException {
    if ("warm".equals(ex.getRequestURI().getRawQuery())) {
      events = 5; // warm-up streams: short and unpaced
      gapMs = 0;
    }
    try (ex) {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().set("Content-Type", "text/event-stream");
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      send(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_probe\","
          + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"probe\",\"content\":[],"
          + "\"stop_reason\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}");
      // Anthropic's order (PROTOCOLS.md 2.3): the first block starts with the message. The router
      // holds message_start back until the next event (its commit point), so a probe without it
      // measured the first delta's 10 ms wait as the router's relay delay.
      send(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}");
      for (int i = 0; i < events; i++) {
        sleep(gapMs);
        send(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"word" + i + " \"}");
      }
      send(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0");
      send(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
          + "\"end_turn\"},\"usage\":{\"output_tokens\":" + events + "}");
      send(out, "message_stop", "{\"type\":\"message_stop\"");
      out.close();
    }
  }

  /** One event; {@code json} lacks its closing brace, which follows the send time. */
  private static void send(OutputStream out, String name, String json) throws IOException {
    String event = "event: " + name + "\ndata: " + json + ",\"t\":" + System.nanoTime() + "}\n\n";
    out.write(event.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- client

  /** What one stream showed: time to first event and each event's relay delay (ns). */
  record Result(long firstEventNanos, long[] delays, boolean completed) {}

  private static void latency(String[] args) throws Exception {
    int upstreamPort = Integer.parseInt(args[1]);
    int routerPort = Integer.parseInt(args[2]);
    int streams = Integer.parseInt(args[3]);
    int events = Integer.parseInt(args[4]);
    long gap = Long.parseLong(args[5]);
    HttpServer server = upstream(upstreamPort, events, gap);
    try {
      // Warm-up, unmeasured: the JIT compiles the stream paths (chunked bodies, SSE framing,
      // relay) only after thousands of events (C2 alone, as the router runs: about 10,000
      // invocations per method); a router in service has them compiled.
      for (int i = 0; i < 2500; i++) {
        stream(upstreamPort, "/v1/messages?warm");
        stream(routerPort, "/anthropic/v1/messages?warm");
      }
      report("direct", upstreamPort, "/v1/messages", streams);
      report("router", routerPort, "/anthropic/v1/messages", streams);
    } finally {
      server.stop(0);
    }
  }

  private static void report(String label, int port, String path, int streams) throws IOException {
    List<Long> first = new ArrayList<>();
    List<Long> delays = new ArrayList<>();
    List<Long> spacing = new ArrayList<>();
    List<Long> firstRelay = new ArrayList<>();
    int incomplete = 0;
    for (int i = 0; i < streams; i++) {
      Result r = stream(port, path);
      first.add(r.firstEventNanos());
      long[] d = r.delays();
      for (int k = 0; k < d.length; k++) {
        delays.add(d[k]);
        if (k == 0) {
          firstRelay.add(d[k]);
        } else {
          // How much the gap between two events changed on the way: |arrival gap - send gap|.
          spacing.add(Math.abs(d[k] - d[k - 1]));
        }
      }
      if (!r.completed()) {
        incomplete++;
      }
    }
    System.out.printf(Locale.ROOT, "%s_streams %d%n", label, streams);
    System.out.printf(Locale.ROOT, "%s_incomplete %d%n", label, incomplete);
    System.out.printf(Locale.ROOT, "%s_ttfe_p50_ms %.3f%n", label, pct(first, 50));
    System.out.printf(Locale.ROOT, "%s_ttfe_p99_ms %.3f%n", label, pct(first, 99));
    System.out.printf(Locale.ROOT, "%s_first_relay_p50_ms %.3f%n", label, pct(firstRelay, 50));
    System.out.printf(Locale.ROOT, "%s_first_relay_p99_ms %.3f%n", label, pct(firstRelay, 99));
    System.out.printf(Locale.ROOT, "%s_events %d%n", label, delays.size());
    System.out.printf(Locale.ROOT, "%s_relay_p50_ms %.3f%n", label, pct(delays, 50));
    System.out.printf(Locale.ROOT, "%s_relay_p99_ms %.3f%n", label, pct(delays, 99));
    System.out.printf(Locale.ROOT, "%s_relay_max_ms %.3f%n", label, pct(delays, 100));
    System.out.printf(Locale.ROOT, "%s_spacing_p50_ms %.3f%n", label, pct(spacing, 50));
    System.out.printf(Locale.ROOT, "%s_spacing_p99_ms %.3f%n", label, pct(spacing, 99));
    System.out.flush();
  }

  private static double pct(List<Long> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    long[] v = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(v);
    int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, i))] / 1e6;
  }

  /**
   * One stream over a raw socket (no client library between the bytes and the clock). Each event's
   * delay is taken when the read that completed it returned.
   */
  private static Result stream(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(10_000);
      byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "x-api-key: client-key\r\nanthropic-version: 2023-06-01\r\nContent-Length: "
              + body.length + "\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      long sent = System.nanoTime();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[1 << 16];
      int len = 0;
      int scanned = 0;
      long first = -1;
      List<Long> delays = new ArrayList<>();
      boolean completed = false;
      while (!completed) {
        int n = in.read(buf, len, buf.length - len);
        long now = System.nanoTime();
        if (n < 0) {
          break;
        }
        len += n;
        // Every "t":<digits> whose digits are complete (followed by '}') is one event's send time.
        int at;
        while ((at = indexOf(buf, len, T_KEY, scanned)) >= 0) {
          int end = at + T_KEY.length;
          while (end < len && buf[end] >= '0' && buf[end] <= '9') {
            end++;
          }
          if (end >= len) {
            break; // digits not all here yet
          }
          long t = Long.parseLong(new String(buf, at + T_KEY.length, end - at - T_KEY.length,
              StandardCharsets.US_ASCII));
          if (first < 0) {
            first = now - sent;
          }
          delays.add(now - t);
          scanned = end;
        }
        int stop = indexOf(buf, len, STOP, 0);
        if (stop >= 0 && scanned > stop) {
          completed = true; // the send time of message_stop itself was read
        } else if (len > buf.length - 4096) {
          // Keep the unscanned tail only (it holds any message_stop not yet complete).
          int keep = len - scanned;
          System.arraycopy(buf, scanned, buf, 0, keep);
          len = keep;
          scanned = 0;
        }
      }
      return new Result(first, delays.stream().mapToLong(Long::longValue).toArray(), completed);
    }
  }

  private static int indexOf(byte[] hay, int len, byte[] needle, int from) {
    outer:
    for (int i = from; i <= len - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---------------------------------------------------------------- open streams

  private static void hold(String[] args) throws Exception {
    int routerPort = Integer.parseInt(args[1]);
    int streams = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(streams);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 60);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < streams; i++) {
        pool.submit(
            () -> {
              try (Socket s = new Socket("127.0.0.1", routerPort)) {
                s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(seconds + 30));
                byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
                String head = "POST /anthropic/v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                StringBuilder all = new StringBuilder();
                boolean counted = false;
                int n;
                while ((n = in.read(buf)) > 0 && System.nanoTime() < deadline) {
                  all.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                  if (!counted && all.indexOf("content_block_delta") >= 0) {
                    counted = true;
                    opened.incrementAndGet();
                  }
                  if (all.indexOf("message_stop") >= 0) {
                    break;
                  }
                  if (all.length() > 1 << 20) {
                    all.delete(0, all.length() - 4096);
                  }
                }
                if (all.indexOf("message_stop") >= 0 && all.indexOf("HTTP/1.1 200") == 0
                    && all.indexOf("event: error") < 0) {
                  completed.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                  if (errors.size() < 5) {
                    errors.add(all.length() > 300 ? all.substring(0, 300) : all.toString());
                  }
                }
              } catch (IOException e) {
                failed.incrementAndGet();
                if (errors.size() < 5) {
                  errors.add(e.toString());
                }
              } finally {
                done.countDown();
              }
              return null;
            });
      }
      // Report the moment every stream is open (or the time is up), then wait for the ends.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (opened.get() + failed.get() < streams && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      System.out.println("hold_opened " + opened.get());
      System.out.flush();
      done.await(seconds + 90, TimeUnit.SECONDS);
    }
    System.out.println("hold_completed " + completed.get());
    System.out.println("hold_failed " + failed.get());
    for (String e : errors) {
      System.out.println("hold_error " + e.replace('\n', ' ').replace('\r', ' '));
    }
    System.out.flush();
  }
}
