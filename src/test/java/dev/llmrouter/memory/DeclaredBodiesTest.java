package dev.llmrouter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A declared {@code Content-Length} takes memory budget as its bytes arrive: connections that
 * declare large bodies and then send nothing do not hold the budget every other request needs.
 */
class DeclaredBodiesTest {

  private static final int MIB = 1 << 20;

  /** A router in front of {@code fake} with a budget of {@code budget} bytes, bodies to 32 MiB. */
  private static RouterHarness router(FakeUpstream fake, long budget) {
    return RouterHarness.builder()
        .maxBodyBytes(32L * MIB)
        .maxBufferedBytes(budget)
        .openai("oa", fake)
        .start();
  }

  /** Waits, at most 5 s, for {@code n} requests in flight. */
  private static boolean inFlightReaches(RouterHarness router, int n) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (router.router().inFlight() < n) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(1_000_000);
    }
    return true;
  }

  @Test
  void idleConnectionsThatDeclareLargeBodiesLeaveRoomForOthers() throws IOException {
    // Four times the budget declared, one byte sent: a budget reserved whole would be full.
    idleUploadsThenARequest(16L * MIB, 8, 8 * MIB);
  }

  @Test
  void aDozenTricklingUploadsHoldLittleOfTheSmallestBudget() throws IOException {
    // Each holds what it may take before its bytes come (64 KiB): twelve of them leave room in a
    // 1 MiB budget, where a first step of 1 MiB let one such connection hold all of it.
    idleUploadsThenARequest(MIB, 12, MIB / 4);
  }

  @Test
  void aDeclaredBodyThatCannotFitIsRefusedBeforeItIsRead() throws IOException {
    try (FakeUpstream fake = FakeUpstream.start().always(Reply.openAiOk());
        RouterHarness router = router(fake, MIB);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), router.uri("/").getPort())) {
      s.setSoTimeout(5_000); // no byte of the body is ever sent: only a refusal answers in time
      s.getOutputStream()
          .write(
              ("POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Content-Type: application/json\r\nContent-Length: "
                      + 2 * MIB
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();

      String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

      assertThat(head).isEqualTo("HTTP/1.1 503");
      assertThat(fake.requestCount()).isZero();
    }
  }

  private static void idleUploadsThenARequest(long budget, int connections, int declared)
      throws IOException {
    List<Socket> idle = new ArrayList<>();
    try (FakeUpstream fake = FakeUpstream.start().always(Reply.openAiOk());
        RouterHarness router = router(fake, budget)) {
      for (int i = 0; i < connections; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), router.uri("/").getPort());
        idle.add(s);
        s.getOutputStream()
            .write(
                ("POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + declared
                        + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
      }
      // Once each of them holds its slot, it is reading its body: then a request is served.
      assertThat(inFlightReaches(router, connections))
          .as("the idle uploads are in flight")
          .isTrue();

      assertThat(router.post("/openai/chat/completions", RouterHarness.OPENAI_CHAT).statusCode())
          .isEqualTo(200);
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }
}
