package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.logging.StreamAssembler;
import dev.llmrouter.logging.StreamEnd;
import dev.llmrouter.logging.StreamLog;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.upstream.StreamWatchdog;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import dev.llmrouter.wire.ErrorKind;
import dev.llmrouter.wire.Operation;
import dev.llmrouter.wire.SseFraming;
import dev.llmrouter.wire.StreamTranslator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Relays a committed event stream to the client, event by event, flushing after each. Everything
 * here happens after the commit point: no fallback and no second provider, only the upstream's own
 * events and, if it breaks, one error event in the endpoint's protocol and a clean end.
 */
final class StreamRelay {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  /** After this much silence toward the client, a keepalive comment goes out. */
  static final long KEEPALIVE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** The blank line that ends a keepalive goes out this long after its comment line. */
  static final long KEEPALIVE_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * The operations on either side of a stream: the router's own error events speak the client's,
   * the final and error events are recognised in the provider's, and a translator (null when both
   * are the same) turns the one into the other, event by event.
   */
  record Dialect(Operation client, Operation provider, StreamTranslator translator) {}

  private final HttpExchange exchange;
  private final Dialect dialect;
  private final Streaming stream;
  private final StreamWatchdog watchdog;
  private final Redactor redactor;
  private final BooleanSupplier cutting;
  private final StreamAssembler assembler;
  private volatile boolean cut;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicBoolean keepaliveInFlight = new AtomicBoolean();

  /** A keepalive comment line went out and its blank line is still due (guarded by writeLock). */
  private volatile boolean keepaliveOpen;

  private OutputStream out;
  private volatile long lastWriteNanos;
  private final WriteStall stall;
  private volatile boolean clientGone;
  private volatile boolean done;

  /** The last event the client received: a Responses error event numbers itself after it. */
  private SseFraming.Event last;

  /** How many events the client received (the number of an error event when theirs had none). */
  private long relayed;

  private StreamRelay(
      HttpExchange exchange,
      Dialect dialect,
      Streaming stream,
      StreamWatchdog watchdog,
      Redactor redactor,
      BooleanSupplier cutting,
      StreamAssembler assembler,
      Duration clientStall) {
    this.stall = new WriteStall(exchange, clientStall.toNanos());
    this.cutting = cutting;
    this.assembler = assembler;
    this.exchange = exchange;
    this.redactor = redactor;
    this.dialect = dialect;
    this.stream = stream;
    this.watchdog = watchdog;
  }

  /**
   * Commits the response and relays the stream to its end; never throws for I/O.
   *
   * @param assembler what keeps the log's copy of the answer, within its limits
   * @param clientStall how long a write to the client may take no byte before the connection is
   *     closed ({@link WriteStall}): the provider's {@code stream_idle_timeout}, the bound of a
   *     silence on the other side
   */
  static StreamLog relay(
      HttpExchange exchange,
      Dialect dialect,
      Streaming stream,
      StreamWatchdog watchdog,
      Redactor redactor,
      BooleanSupplier cutting,
      StreamAssembler assembler,
      Duration clientStall) {
    return new StreamRelay(
            exchange, dialect, stream, watchdog, redactor, cutting, assembler, clientStall)
        .run();
  }

  private StreamLog run() {
    boolean completed = false;
    boolean upstreamError = false;
    int errorStatus = 0;
    StreamEnd end;
    StreamWatchdog.Watched keepalive = this::tick;
    try {
      commit();
      // Watched apart from the keepalives, until the response's last byte: the error event and
      // the terminating chunk come after those stop, and may block on a client that stopped.
      watchdog.add(stall);
      watchdog.add(keepalive);
      // What the upstream sent before its first event that counts (an Azure filter chunk, a
      // ping) was held back with the commit point: it goes first, as it came.
      Iterator<SseFraming.Event> opening = opening(stream);
      SseFraming.Event event = opening.next();
      while (event != null && !dialect.provider().isDoneWithoutFinal(event)) {
        boolean error = dialect.provider().isErrorEvent(event);
        if (dialect.translator() == null) {
          pass(error ? dialect.client().clientErrorEvent(event, last, relayed) : event);
        } else {
          // An error's message may be cut in translation: its secrets go before (see pass).
          SseFraming.Event in = error ? redacted(event) : event;
          for (SseFraming.Event translated : dialect.translator().translate(in)) {
            pass(translated);
          }
          error |= dialect.translator().failed(); // its own error event went out
          if (!error && dialect.translator().ended()) {
            completed = true; // the client has its closing events (see StreamTranslator.ended)
            break;
          }
        }
        if (error) {
          // The upstream said it failed, in the protocol: relayed (a Responses one in both of its
          // forms), or translated into the client's error event; it ends here, with that one.
          upstreamError = true;
          errorStatus = dialect.provider().errorEventStatus(event);
          break;
        }
        if (dialect.provider().isFinalEvent(event)) {
          // Done: an upstream that keeps the connection open must not hold the client. A
          // response.failed told the client of the failure in the protocol: nothing follows it,
          // but it ended no answer, and the log says the upstream's error.
          errorStatus = dialect.provider().failedEndStatus(event);
          upstreamError = errorStatus != 0;
          completed = !upstreamError;
          break;
        }
        event = opening.hasNext() ? opening.next() : stream.rest().next();
      }
      end =
          completed
              ? StreamEnd.COMPLETED
              : upstreamError ? StreamEnd.UPSTREAM_ERROR : StreamEnd.UPSTREAM_BROKEN;
    } catch (ClientGone e) {
      end = StreamEnd.CLIENT_CANCELLED;
    } catch (RuntimeException e) {
      // An event this relay could not take in (a translator or the log's assembler meeting a field
      // no provider should send): the client has had a 200, so the stream ends here as a broken
      // one, with the error event and the record, never as a silent end or an internal error. The
      // cause may be the router's own: said with its stack trace.
      CONSOLE.log(System.Logger.Level.WARNING, "a relayed stream failed in the router", e);
      end = StreamEnd.UPSTREAM_BROKEN;
    } catch (IOException e) {
      if (cut || Thread.interrupted()) {
        // Shutdown past its grace period (an interrupt flag is cleared so the event can go out).
        end = StreamEnd.SHUTDOWN;
      } else if (clientGone) {
        end = StreamEnd.CLIENT_CANCELLED;
      } else if (stream.rest().timedOut()) {
        end = StreamEnd.IDLE_TIMEOUT;
      } else {
        end = StreamEnd.UPSTREAM_BROKEN;
      }
    } finally {
      done = true;
      watchdog.remove(keepalive);
      stream.rest().close();
    }
    try {
      if (!completed && !upstreamError && end != StreamEnd.CLIENT_CANCELLED) {
        sendErrorEvent(end);
      }
      closeQuietly();
    } finally {
      stall.over(); // the watchdog lets go of the exchange whatever happened
    }
    long firstEventMicros = TimeUnit.NANOSECONDS.toMicros(stream.firstEventNanos());
    return new StreamLog(firstEventMicros, assembler, completed, end, errorStatus);
  }

  /** One event in the client's API: to the client, then to the log. */
  private void pass(SseFraming.Event event) throws ClientGone {
    // An upstream may echo its key inside an event (an error, typically): never relay it.
    if (!StreamTranslator.logOnly(event)) {
      write(redactor.redact(event.raw()));
      if (!event.isCommentOnly()) {
        // An upstream's ": ping" is no event to the client: it neither numbers nor counts.
        last = event;
        relayed++;
      }
    }
    assembler.accept(event); // after the write: the client does not wait for the log
  }

  private SseFraming.Event redacted(SseFraming.Event event) {
    return new SseFraming.Event(
        redactor.redact(event.raw()), event.name(), redactor.redact(event.data()));
  }

  /** The events that came before the commit: the held-back preamble, then the first. */
  private static Iterator<SseFraming.Event> opening(Streaming stream) {
    if (stream.preamble().isEmpty()) {
      return List.of(stream.first()).iterator();
    }
    List<SseFraming.Event> events = new ArrayList<>(stream.preamble());
    events.add(stream.first());
    return events.iterator();
  }

  /** The commit point: from here on, the client has the status line and fallback is over. */
  private void commit() throws ClientGone {
    Headers headers = exchange.getResponseHeaders();
    Responses.addUpstreamHeaders(
        headers, HeaderPolicy.toClientStream(stream.headers(), stream.status()), redactor);
    headers.set("Content-Type", "text/event-stream");
    headers.set("Cache-Control", "no-cache");
    // Tells nginx-style proxies in front of us not to buffer the stream.
    headers.set("X-Accel-Buffering", "no");
    try {
      exchange.sendResponseHeaders(stream.status(), 0);
      out = exchange.getResponseBody();
      out.flush();
      lastWriteNanos = System.nanoTime();
    } catch (IOException e) {
      throw new ClientGone();
    }
  }

  private void write(byte[] bytes) throws ClientGone {
    writeLock.lock();
    try {
      stall.writing();
      if (keepaliveOpen) {
        out.write(SseFraming.KEEPALIVE_END); // never let an event start inside a comment block
        keepaliveOpen = false;
      }
      Responses.write(out, bytes, stall); // an event may be megabytes
      stall.writing();
      out.flush();
      stall.wrote();
      lastWriteNanos = System.nanoTime();
    } catch (IOException e) {
      clientGone = true;
      throw new ClientGone();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs on the watchdog thread. The JDK server notices a gone client only when a write fails, so
   * silence toward the client is broken with a comment line; the write itself happens on a virtual
   * thread, so a client that does not read cannot stall the watchdog.
   */
  private boolean tick(long now) {
    if (done) {
      return false;
    }
    if (stall.cut()) {
      // The client took nothing for too long: its connection is closed, the blocked write fails.
      clientGone = true;
      return false;
    }
    if (cutting.getAsBoolean()) {
      // Shutdown: the relay thread, blocked reading, wakes up and ends with an error event.
      cut = true;
      stream.rest().close();
      return false;
    }
    boolean due =
        keepaliveOpen
            ? now - lastWriteNanos >= KEEPALIVE_PROBE_NANOS
            : now - lastWriteNanos > KEEPALIVE_AFTER_NANOS;
    if (due && keepaliveInFlight.compareAndSet(false, true)) {
      Thread.ofVirtual().start(this::sendKeepalive);
    }
    return true;
  }

  private void sendKeepalive() {
    try {
      if (!done) {
        // In two writes a tick apart: a client that closed answers the first with a reset,
        // which the second meets, so a gone client shows up at this keepalive, not the next.
        writeLock.lock();
        try {
          if (keepaliveOpen) {
            write(new byte[0]); // closes the comment block (see write)
          } else {
            stall.writing();
            out.write(SseFraming.KEEPALIVE_COMMENT);
            out.flush();
            stall.wrote();
            lastWriteNanos = System.nanoTime();
            keepaliveOpen = true;
          }
        } catch (IOException e) {
          clientGone = true;
          throw new ClientGone();
        } finally {
          writeLock.unlock();
        }
      }
    } catch (ClientGone e) {
      // Cancel the upstream at once: no orphan stream keeps consuming tokens.
      stream.rest().close();
    } finally {
      keepaliveInFlight.set(false);
    }
  }

  private void sendErrorEvent(StreamEnd end) {
    ErrorKind kind;
    String message;
    switch (end) {
      case IDLE_TIMEOUT -> {
        kind = ErrorKind.UPSTREAM_TIMEOUT;
        // Words clients match to retry (pi's retry reads "timed out", "connection lost"): what a
        // direct client would have seen as a network error reaches it as this event instead.
        message = "The upstream stream timed out: idle for too long, cut off by the router.";
      }
      case SHUTDOWN -> {
        kind = ErrorKind.UNAVAILABLE;
        message = "The router is shutting down; this stream was cut off. Retry the request.";
      }
      default -> {
        kind = ErrorKind.UPSTREAM_FAILED;
        message =
            "The upstream stream broke before it was complete (connection lost or cut short).";
      }
    }
    try {
      write(dialect.client().streamErrorEvent(kind, message, last, relayed));
    } catch (ClientGone e) {
      // Nobody left to tell.
    }
  }

  private void closeQuietly() {
    writeLock.lock();
    try {
      if (out != null) {
        stall.writing();
        if (keepaliveOpen) {
          out.write(SseFraming.KEEPALIVE_END);
        }
        out.close(); // the terminating chunk: a clean end of the HTTP response
        stall.wrote();
      }
    } catch (IOException e) {
      // The client is gone; nothing left to end.
    } finally {
      writeLock.unlock();
    }
  }

  /** The client went away: a write to it failed. */
  private static final class ClientGone extends Exception {
    private static final long serialVersionUID = 1L;

    ClientGone() {
      super(null, null, false, false);
    }
  }
}
