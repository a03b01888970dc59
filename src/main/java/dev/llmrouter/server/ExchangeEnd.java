package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.logging.ConsoleText;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.wire.ErrorKind;
import java.io.IOException;

/**
 * How every exchange ends: closed after a whole answer, or dropped so that the JDK server closes
 * its connection and forgets it.
 */
final class ExchangeEnd {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  private ExchangeEnd() {}

  /**
   * Runs the exchange's handling; closes the exchange after a whole answer, or drops it. A client
   * that went away is logged at DEBUG, a bug or an OutOfMemoryError at ERROR (redacted) and
   * answered 500 when no answer had started: the server serves on either way.
   */
  static void run(HttpExchange exchange, Call.Work handling, Redactor redactor) {
    // Not try-with-resources: the exchange must still be open when the catch answers 500.
    boolean answered;
    try {
      handling.run();
      // A handler that gave up on a client that left (the walk's 499) started no answer.
      answered = exchange.getResponseCode() != -1;
    } catch (IOException e) {
      // The client went away mid-exchange: nothing to answer.
      CONSOLE.log(System.Logger.Level.DEBUG, "exchange ended early: " + e);
      answered = false;
    } catch (Throwable t) {
      // A bug, or an OutOfMemoryError: this request fails, the server serves on.
      // Its message may quote the request (a client's field): one clean console line.
      CONSOLE.log(
          System.Logger.Level.ERROR,
          "unexpected error: " + ConsoleText.clean(redactor.redact(t.toString())));
      // A 500 if no answer had started; an answer under way cannot be finished, and the client
      // sees the cut (the drop below) instead of waiting on it.
      answered = exchange.getResponseCode() == -1 && answerInternalError(exchange);
    }
    if (!answered) {
      throw new Dropped();
    }
    exchange.close();
  }

  /**
   * Thrown out of the handler when an exchange cannot end with a whole answer. The JDK server
   * forgets a connection (its sets of connections hold it, with about 33 KB of buffers) when the
   * answer's stream was closed after its last byte (a chunked stream: closed at all, even when the
   * final chunk failed) or when the handler threw. A handler that returned after a fixed-length
   * answer failed, or without any answer, left the connection there for good, so every client that
   * hung up mid-answer or while the upstream worked used to leak one. On a throw, the JDK closes
   * the connection and forgets it (it still counts the exchange as running, which only makes its
   * stop wait out {@code RouterServer.JDK_STOP_WAIT}). Without a stack trace (cheap to make): the
   * JDK logs it at TRACE only.
   */
  private static final class Dropped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Dropped() {
      super("connection dropped: the answer could not be completed", null, false, false);
    }
  }

  /** The 500 for a request whose handler failed before answering; false if it could not go out. */
  private static boolean answerInternalError(HttpExchange exchange) {
    try {
      exchange.getResponseHeaders().set("Connection", "close");
      Responses.error(
          exchange,
          Route.apiForPath(exchange.getRequestURI().getRawPath()),
          ErrorKind.INTERNAL,
          "The router failed to handle this request.");
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // nothing more can be said to a client that is gone
    }
  }
}
