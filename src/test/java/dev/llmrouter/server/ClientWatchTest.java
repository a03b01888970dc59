package dev.llmrouter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClientWatchTest {

  /**
   * A released watch waits in the queue until it is due; what its callback holds (the handler's
   * thread and whatever that keeps) must not wait with it, or every collection copies it.
   */
  @Test
  void aReleasedWatchNoLongerHoldsItsCallback() throws Exception {
    AtomicReference<WeakReference<Runnable>> callback = new AtomicReference<>();
    AtomicReference<Boolean> usable = new AtomicReference<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Due in an hour: the released watch certainly still waits in the queue when collected.
    try (ClientWatch watch = ClientWatch.start(TimeUnit.HOURS.toNanos(1));
        HttpClient client = HttpClient.newHttpClient()) {
      assertThat(watch).as("sun.net.httpserver is opened to the tests").isNotNull();
      server.createContext(
          "/",
          exchange -> {
            Thread handler = Thread.currentThread(); // captured, as the router's callback does
            Runnable onGone = handler::interrupt;
            callback.set(new WeakReference<>(onGone));
            usable.set(watch.watch(exchange, onGone).release());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

      HttpResponse<Void> r =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());

      assertThat(r.statusCode()).isEqualTo(204);
      assertThat(usable.get()).isTrue();
      for (int i = 0; i < 50 && callback.get().get() != null; i++) {
        System.gc();
      }
      assertThat(callback.get().get()).isNull();
    } finally {
      server.stop(0);
    }
  }
}
