import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;

/**
 * The floor of this stack for `make bench`: a pass-through built from the same JDK classes as the
 * router, with no routing, parsing, logging or header policy beyond Content-Type. JDK HttpServer
 * with one virtual thread per exchange and one shared HttpClient.
 *
 * <p>Two flavours. {@code naive} is the floor issue 7 measures the router against: every JDK
 * default (the client's HTTP/2 upgrade attempt on http://, Nagle's algorithm on, the JVM's default
 * heap and collector, which the caller leaves alone). {@code tuned} takes the settings the router
 * takes (HTTP/1.1 to http:// upstreams, TCP_NODELAY) and is run with the router's JVM options:
 * the plain JDK classes with nothing else. (The router's inline client for plain-HTTP upstreams
 * at an address does better than this on its own.)
 *
 * <p>Run: java bench/Floor.java naive|tuned PORT UPSTREAM_BASE (e.g. http://127.0.0.1:9000).
 * Every POST to /X goes to UPSTREAM_BASE/X. Stops on SIGTERM.
 */
public final class Floor {
  public static void main(String[] args) throws IOException {
    boolean tuned = args[0].equals("tuned");
    int port = Integer.parseInt(args[1]);
    String upstream = args[2];
    HttpClient client;
    if (tuned) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    } else {
      client = HttpClient.newHttpClient();
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        (HttpExchange ex) -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest request =
                HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI().getRawPath()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<byte[]> response;
            try {
              response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              ex.sendResponseHeaders(502, -1);
              return;
            } catch (IOException e) {
              ex.sendResponseHeaders(502, -1);
              return;
            }
            response
                .headers()
                .firstValue("content-type")
                .ifPresent(t -> ex.getResponseHeaders().set("Content-Type", t));
            byte[] out = response.body();
            ex.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
              try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
              }
            }
          }
        });
    server.start();
    System.out.println(
        args[0] + " floor listening on http://127.0.0.1:" + port + " -> " + upstream);
    System.out.flush();
  }
}
