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
 * The floor of this stack for `make bench`: the least a pass-through built from the same JDK
 * classes as the router does. JDK HttpServer with one virtual thread per exchange, one shared
 * HttpClient (HTTP/1.1, as the router uses for http:// upstreams), TCP_NODELAY as the router sets
 * it. No routing, no parsing, no logging, no header policy beyond Content-Type.
 *
 * <p>Run: java bench/Floor.java PORT UPSTREAM_BASE (e.g. http://127.0.0.1:9000). Every POST to
 * /X goes to UPSTREAM_BASE/X. Stops on SIGTERM.
 */
public final class Floor {
  public static void main(String[] args) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int port = Integer.parseInt(args[0]);
    String upstream = args[1];
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
    System.out.println("floor listening on http://127.0.0.1:" + port + " -> " + upstream);
    System.out.flush();
  }
}
