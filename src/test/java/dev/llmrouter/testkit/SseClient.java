package dev.llmrouter.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A streaming client for tests: posts a request, then hands out the response's SSE blocks as they
 * arrive (each block's text without its blank line), every wait bounded.
 */
public final class SseClient implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String END = "\u0000end";

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<String> blocks = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream all = new ByteArrayOutputStream();
  private final Thread reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = Thread.ofVirtual().start(this::read);
  }

  /** Posts {@code body} with extra {@code headers} (name, value, name, value...). */
  public static SseClient post(URI uri, String body, String... headers) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  /** A GET, with extra {@code headers} (name, value, name, value...). */
  public static SseClient get(URI uri, String... headers) {
    return send(HttpRequest.newBuilder(uri).GET(), headers);
  }

  private static SseClient send(HttpRequest.Builder builder, String... headers) {
    builder.timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    HttpRequest request = builder.build();
    try {
      return new SseClient(CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  private void read() {
    try (InputStream in = response.body()) {
      byte[] buf = new byte[4096];
      StringBuilder pending = new StringBuilder();
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (all) {
          all.write(buf, 0, n);
        }
        pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          blocks.add(pending.substring(0, end));
          pending.delete(0, end + 2);
        }
      }
    } catch (IOException e) {
      // the stream ended abruptly: the END marker says so
    } finally {
      blocks.add(END);
    }
  }

  /** The next block, or null when the stream ended; fails the test after {@code timeout}. */
  public String next(Duration timeout) {
    try {
      String block = blocks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (block == null) {
        throw new AssertionError("no SSE block within " + timeout);
      }
      if (block.equals(END)) {
        blocks.add(END);
        return null;
      }
      return block;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Every block up to the end of the stream (skipping nothing). */
  public List<String> rest(Duration timeout) {
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    String block;
    while ((block = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) != null) {
      out.add(block);
    }
    return out;
  }

  /** Every byte received so far. */
  public byte[] bytes() {
    synchronized (all) {
      return all.toByteArray();
    }
  }

  /** Goes away mid-stream, as a client that gave up would. */
  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // closing to leave
    }
    reader.interrupt();
  }
}
