package dev.llmrouter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.ServedRouter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kept-alive client connections stay open between requests, beyond the JDK server's default of 200
 * idle ones. Over a {@code serve} process: the JDK reads its server settings once per JVM.
 */
class IdleClientConnectionsOverProcessTest {

  private static final String CONFIG =
      """
      {"server": {"port": 0}, "logging": {"dir": "logs"},
       "openai": [{"name": "up", "api_key": "sk-up-0001", "base_url": "http://127.0.0.1:9/v1"}]}
      """;

  private static final byte[] HEALTH =
      "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  @Test
  void threeHundredClientsEachKeepTheirConnectionForTheirNextRequest() throws IOException {
    // The JDK's server would close every connection that goes idle past 200 at once: a fleet of
    // more clients would reconnect for every request, and a client that sends on a connection
    // being closed gets an error instead of an answer.
    try (ServedRouter router = ServedRouter.start(dir, CONFIG)) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 300; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), router.port());
          s.setSoTimeout(10_000);
          sockets.add(s);
          assertThat(exchange(s))
              .as("first request on connection %d", i)
              .startsWith("HTTP/1.1 200");
        }
        int answered = 0;
        for (Socket s : sockets) {
          if (exchange(s).startsWith("HTTP/1.1 200")) {
            answered++;
          }
        }
        assertThat(answered).as("second requests answered on the same connections").isEqualTo(300);
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  /** One GET /health on the socket; the response head and body, or "" when the peer closed. */
  private static String exchange(Socket s) throws IOException {
    try {
      s.getOutputStream().write(HEALTH);
      s.getOutputStream().flush();
    } catch (IOException e) {
      return "";
    }
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = contentLength(text);
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static int contentLength(String head) {
    for (String line : head.lines().toList()) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }
}
