package dev.llmrouter.logging;

import dev.llmrouter.config.LoggingSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSONL request log: {@code router_<time>_<session>.jsonl} for every request and {@code
 * ..._errors.jsonl} for failures. Request threads only enqueue; one writer thread serialises,
 * writes each batch in one go and flushes it, so lines never interleave and a record reaches the OS
 * milliseconds after its request ended. The queue is unbounded: no record is ever dropped.
 *
 * <p>The writer also applies {@link LoggingSettings}: which records carry bodies, and when the
 * files rotate (between two lines, so no record is split or lost) and old ones are pruned (see
 * {@link LogFiles}). Settings given to {@link #apply} hold for the records written after it.
 */
public final class JsonlRequestLog implements AutoCloseable {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  /** The same logger through java.util.logging, whose handlers are flushed after each batch. */
  private static final java.util.logging.Logger CONSOLE_HANDLERS =
      java.util.logging.Logger.getLogger("llm-api-router");

  private static final ThreadLocal<Boolean> ON_WRITER = ThreadLocal.withInitial(() -> false);
  private static final RequestRecord POISON = marker();

  /** Wakes an idle writer so that new settings (a lower {@code keep_files}) apply at once. */
  private static final RequestRecord WAKE = marker();

  private final RecordHandOff handOff;

  private final RecordSerializer serializer;
  private final Redactor redactor;
  private final LogFiles files;
  private final Thread writer;
  private volatile LoggingSettings settings;
  private volatile boolean closed;
  private volatile TokenSink tokens = TokenSink.NONE;

  /** Records written, by the writer thread (then the closing thread). */
  private final AtomicLong written = new AtomicLong();

  private final AtomicLong lost = new AtomicLong();

  // Writer thread only (then the closing thread, after the writer ended).
  private int prunedFor;
  private long retryRotationAt; // 0, or the size past which a failed rotation is tried again

  /** A log in {@code dir} with every other setting at its default. */
  public JsonlRequestLog(Path dir, Redactor redactor) throws IOException {
    this(LoggingSettings.in(dir), redactor);
  }

  /** Opens the first pair of files in {@code settings.dir()} and prunes old ones. */
  public JsonlRequestLog(LoggingSettings settings, Redactor redactor) throws IOException {
    this.serializer = new RecordSerializer(redactor);
    this.redactor = redactor;
    this.settings = settings;
    this.files = new LogFiles(settings.dir());
    applySettings(settings);
    this.writer = Thread.ofPlatform().name("request-log-writer").daemon(true).unstarted(this::run);
    this.handOff = new RecordHandOff(writer);
    writer.start();
  }

  /**
   * Bodies, file size and file count apply to every record written from now on. The directory stays
   * the one the log was opened in.
   */
  public void apply(LoggingSettings newSettings) {
    settings = newSettings;
    handOff.addNow(WAKE);
  }

  /**
   * From now on the writer reports the tokens of every answer whose line carries a {@code usage} to
   * {@code sink}, after writing the line.
   */
  public void countTokens(TokenSink sink) {
    tokens = sink;
  }

  /** How many records have been written to the files. */
  public long written() {
    return written.get();
  }

  /**
   * How many records were lost (a write that failed, a record that could not be made a line). Each
   * was said on the console too, but the console may be gone by then: a stop reads this.
   */
  public long lost() {
    return lost.get();
  }

  /** Whether the writer thread still runs (an error it cannot survive would end it). */
  public boolean alive() {
    return writer.isAlive() || closed;
  }

  /** The file written now; a rotation moves on to a newer one. */
  public Path file() {
    return files.file();
  }

  /** The errors file written now, which rotates with {@link #file()}. */
  public Path errorsFile() {
    return files.errorsFile();
  }

  /**
   * Hands a record to the writer thread; never blocks the request. It is written within 10 ms
   * ({@link RecordHandOff} says when the writer wakes).
   */
  public void submit(RequestRecord record) {
    if (closed) {
      CONSOLE.log(
          System.Logger.Level.WARNING,
          "request log closed; not written: " + ConsoleLine.of(record, redactor));
    }
    handOff.add(record);
  }

  /**
   * Whether the calling thread is a request log's writer, which flushes the console's handlers
   * after each batch of lines: a console handler may leave this thread's lines to that flush.
   */
  public static boolean onWriterThread() {
    return ON_WRITER.get();
  }

  private void run() {
    ON_WRITER.set(true);
    try {
      writeBatches();
    } finally {
      flushConsole(); // even when something this thread cannot survive ends it
    }
  }

  @SuppressWarnings("ReferenceEquality") // identity is the point: POISON and WAKE are sentinels
  private void writeBatches() {
    List<RequestRecord> batch = new ArrayList<>(256);
    boolean done = false;
    while (!done && handOff.take(batch)) {
      LoggingSettings s = settings; // one volatile read per batch
      applySettings(s);
      for (RequestRecord r : batch) {
        if (r == POISON) {
          done = true;
        } else if (r != WAKE) {
          write(r, s);
        }
      }
      batch.clear();
      flush();
    }
  }

  /** Prunes when {@code keep_files} changed; a new size limit needs nothing done now. */
  private void applySettings(LoggingSettings s) {
    if (s.keepFiles() != prunedFor) {
      prunedFor = s.keepFiles();
      files.prune(s.keepFiles());
    }
  }

  private void write(RequestRecord r, LoggingSettings s) {
    try {
      boolean failure = r.isFailure();
      rotateIfFull(s);
      boolean withBodies =
          switch (s.bodies()) {
            case FULL -> true;
            case ERRORS -> failure;
            case NONE -> false;
          };
      OutputStream all = files.all();
      OutputStream out = failure ? new Tee(all, files.errors()) : all;
      UsageTokens.Counts usage;
      try {
        usage = serializer.write(r, withBodies, out);
      } catch (RuntimeException e) {
        if (!withBodies) {
          throw e;
        }
        // A body the line cannot carry (nested deeper than a line may be, one level below where
        // the request parser stopped): the line is built whole before a byte goes out, so the
        // record is written again without its bodies, never lost.
        CONSOLE.log(
            System.Logger.Level.WARNING,
            "request log: "
                + r.id()
                + " written without its bodies: "
                + e.getClass().getSimpleName());
        usage = serializer.write(r, false, out);
      }
      if (usage != null && r.provider() != null) {
        tokens.tokens(r.endpoint(), r.provider(), usage.input(), usage.output());
      }
      written.incrementAndGet();
    } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // One record that cannot be written must not stop the log: say so and go on.
      lost.incrementAndGet();
      CONSOLE.log(System.Logger.Level.ERROR, "request log: could not write " + r.id() + ": " + e);
    } finally {
      if (r.memory() != null) {
        r.memory().close(); // the bodies this record kept alive can go now
      }
    }
    // The router's own 5xx (every provider failed, a timeout, a cut stream) stands out.
    CONSOLE.log(
        r.status() >= 500 && r.error() != null
            ? System.Logger.Level.WARNING
            : System.Logger.Level.INFO,
        ConsoleLine.of(r, redactor));
  }

  /**
   * Before a line, never within one: a file that has reached the limit is followed by a new pair.
   * One comparison of counters per line. When the next pair cannot be opened (a full disk), the
   * current one goes on and the next try waits for another limit's worth of lines.
   */
  private void rotateIfFull(LoggingSettings s) {
    long size = files.size();
    if (size < Math.max(s.maxFileBytes(), retryRotationAt)) {
      return;
    }
    try {
      files.rotate();
      retryRotationAt = 0;
      files.prune(s.keepFiles());
    } catch (IOException | RuntimeException e) {
      retryRotationAt = size + s.maxFileBytes();
      CONSOLE.log(
          System.Logger.Level.ERROR,
          "request log: cannot open the next file; writing on in " + files.file() + ": " + e);
    }
  }

  /** The console first: its lines must not wait for a slow disk. */
  private void flush() {
    flushConsole();
    try {
      files.flush();
    } catch (LineFile.LinesLost e) {
      // A full disk, say: the file keeps whole lines only, and once there is room lines follow.
      lost(e);
      flushConsole();
    } catch (IOException e) {
      CONSOLE.log(System.Logger.Level.ERROR, "request log: flush failed: " + e);
      flushConsole();
    }
  }

  /** Records that never reached the file: said, and no longer counted as written. */
  private void lost(LineFile.LinesLost e) {
    written.addAndGet(-e.lines);
    lost.addAndGet(e.lines);
    CONSOLE.log(
        System.Logger.Level.ERROR,
        "request log: "
            + e.lines
            + " records lost, not written to "
            + files.file()
            + ": "
            + e.getCause().getMessage());
  }

  /** The handlers the batch's console lines went to, up to the root (see onWriterThread). */
  private static void flushConsole() {
    for (java.util.logging.Logger l = CONSOLE_HANDLERS; l != null; l = l.getParent()) {
      for (java.util.logging.Handler h : l.getHandlers()) {
        h.flush();
      }
      if (!l.getUseParentHandlers()) {
        return;
      }
    }
  }

  /** Writes every record still queued, flushes and syncs to disk. Idempotent. */
  @SuppressWarnings("ReferenceEquality") // identity is the point: POISON and WAKE are sentinels
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    handOff.addNow(POISON);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      // Still writing its backlog after 30 s (a slow disk): the files stay its alone, as neither
      // the serializer nor the files take two threads. It goes on while the process lives.
      CONSOLE.log(
          System.Logger.Level.ERROR,
          "request log: the writer is still busy after 30 s; records it has not written by the"
              + " time the process ends are lost (not written to "
              + files.file()
              + ")");
      return;
    }
    // Records that raced in after the stop marker are written here, on the closing thread.
    LoggingSettings s = settings;
    for (RequestRecord r : handOff.rest()) {
      if (r != POISON && r != WAKE) {
        write(r, s);
      }
    }
    try {
      files.syncAndClose();
    } catch (LineFile.LinesLost e) {
      lost(e); // the stop's own line then counts only what the file holds
    } catch (IOException e) {
      throw new UncheckedIOException("request log: final flush failed", e);
    }
  }

  /** The failures' line goes to both files, written once. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }

  private static RequestRecord marker() {
    return new RequestRecord(
        "",
        0,
        0,
        "",
        "",
        "",
        null,
        false,
        0,
        null,
        List.of(),
        null,
        null,
        false,
        BodyShape.UNCHECKED,
        null,
        null,
        null,
        0,
        null);
  }
}
