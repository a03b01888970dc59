package dev.llmrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A started {@link FakeUpstream} and the two ways its own tests talk to it: the JDK client, and raw
 * sockets for what that client will not send or cannot show. Registered per test with {@code
 * RegisterExtension}, so that after every test the client and the fake are closed and no thread of
 * the fake is left running.
 */
final class FakeUpstreamFixture implements AfterEachCallback {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final JsonMapper JSON = JsonMapper.shared();

  final FakeUpstream fake = FakeUpstream.start();
  final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    client.shutdownNow();
    assertThat(client.awaitTermination(WAIT)).isTrue();
    fake.close();
    assertThat(fake.liveThreads()).isZero();
  }

  URI uri(String target) {
    return URI.create(fake.baseUrl() + target);
  }

  HttpRequest.Builder post(String target, String json) {
    return HttpRequest.newBuilder(uri(target))
        .timeout(WAIT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  Socket rawSocket() throws IOException {
    Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), fake.port());
    s.setSoTimeout((int) WAIT.toMillis()); // every raw read is bounded
    return s;
  }

  static byte[] rawRequest(String methodAndTarget, String extraHeaders, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head =
        methodAndTarget
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + extraHeaders
            + (b.length > 0 || methodAndTarget.startsWith("POST")
                ? "Content-Length: " + b.length + "\r\n"
                : "")
            + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = Arrays.copyOf(h, h.length + b.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  /** Reads one chunk of a chunked body; null for the terminating zero chunk (and its CRLF). */
  static String readChunk(InputStream in) throws IOException {
    int size = Integer.parseInt(readLine(in), 16);
    if (size == 0) {
      assertThat(readLine(in)).isEmpty();
      return null;
    }
    byte[] data = in.readNBytes(size);
    assertThat(readLine(in)).isEmpty();
    return new String(data, StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("EOF mid-line: " + line);
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** A minimal HTTP/1.1 response reader for raw-socket tests (Content-Length bodies only). */
  static final class RawResponse {
    final int status;
    final Map<String, String> headers;
    final byte[] body;

    RawResponse(int status, Map<String, String> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    static RawResponse readHead(InputStream in) throws IOException {
      String statusLine = readLine(in);
      assertThat(statusLine).startsWith("HTTP/1.1 ");
      Map<String, String> headers = new LinkedHashMap<>();
      for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
        int colon = h.indexOf(':');
        headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
      }
      return new RawResponse(Integer.parseInt(statusLine.substring(9, 12)), headers, new byte[0]);
    }

    static RawResponse read(InputStream in) throws IOException {
      RawResponse head = readHead(in);
      int length = Integer.parseInt(head.headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      assertThat(body).hasSize(length);
      return new RawResponse(head.status, head.headers, body);
    }
  }
}
