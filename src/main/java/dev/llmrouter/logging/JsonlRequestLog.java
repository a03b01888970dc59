package dev.llmrouter.logging;

import dev.llmrouter.config.LoggingSettings;
import dev.llmrouter.routing.AttemptRecord;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The JSONL request log: {@code router_<time>_<session>.jsonl} for every request and {@code
 * ..._errors.jsonl} for failures. Request threads only enqueue; one writer thread serialises,
 * writes each batch in one go and flushes it, so lines never interleave and a record reaches the OS
 * milliseconds after its request ended. The queue is unbounded: no record is ever dropped.
 *
 * <p>The writer also applies {@link LoggingSettings#bodies()}: which records carry bodies. Settings
 * given to {@link #apply} hold for the records written after it.
 */
public final class JsonlRequestLog implements AutoCloseable {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
  private static final RequestRecord POISON = marker();

  /** Wakes an idle writer so that new settings apply at once. */
  private static final RequestRecord WAKE = marker();

  private final LinkedBlockingQueue<RequestRecord> queue = new LinkedBlockingQueue<>();
  private final RecordSerializer serializer;
  private final Redactor redactor;
  private final Path allFile;
  private final Path errorsFile;
  private final FileOutputStream allRaw;
  private final FileOutputStream errorsRaw;
  private final OutputStream all;
  private final OutputStream errors;
  private final Thread writer;
  private volatile LoggingSettings settings;
  private volatile boolean closed;

  /** A log in {@code dir} with every other setting at its default. */
  public JsonlRequestLog(Path dir, Redactor redactor) throws IOException {
    this(LoggingSettings.in(dir), redactor);
  }

  /** Opens the files in {@code settings.dir()}. */
  public JsonlRequestLog(LoggingSettings settings, Redactor redactor) throws IOException {
    this.serializer = new RecordSerializer(redactor);
    this.redactor = redactor;
    this.settings = settings;
    Path dir = settings.dir();
    Files.createDirectories(dir);
    String session = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String prefix =
        "router_" + LocalDateTime.now(ZoneId.systemDefault()).format(STAMP) + "_" + session;
    this.allFile = createPrivate(dir.resolve(prefix + ".jsonl"));
    this.errorsFile = createPrivate(dir.resolve(prefix + "_errors.jsonl"));
    this.allRaw = new FileOutputStream(allFile.toFile(), true);
    this.errorsRaw = new FileOutputStream(errorsFile.toFile(), true);
    this.all = new BufferedOutputStream(allRaw, 1 << 16);
    this.errors = new BufferedOutputStream(errorsRaw, 1 << 16);
    this.writer = Thread.ofPlatform().name("request-log-writer").daemon(true).start(this::run);
  }

  /**
   * The bodies setting applies to every record written from now on. The directory stays the one the
   * log was opened in.
   */
  public void apply(LoggingSettings newSettings) {
    settings = newSettings;
    queue.add(WAKE);
  }

  /** Whether the writer thread still runs (an error it cannot survive would end it). */
  public boolean alive() {
    return writer.isAlive() || closed;
  }

  public Path file() {
    return allFile;
  }

  public Path errorsFile() {
    return errorsFile;
  }

  /** Hands a record to the writer thread; never blocks the request. */
  public void submit(RequestRecord record) {
    if (closed) {
      CONSOLE.log(
          System.Logger.Level.WARNING, "request log closed; not written: " + summary(record));
    }
    queue.add(record);
  }

  @SuppressWarnings("ReferenceEquality") // identity is the point: POISON and WAKE are sentinels
  private void run() {
    List<RequestRecord> batch = new ArrayList<>(256);
    boolean done = false;
    while (!done) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queue.drainTo(batch);
      LoggingSettings s = settings; // one volatile read per batch
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

  private void write(RequestRecord r, LoggingSettings s) {
    try {
      boolean failure = r.isFailure();
      boolean withBodies =
          switch (s.bodies()) {
            case FULL -> true;
            case ERRORS -> failure;
            case NONE -> false;
          };
      serializer.write(r, withBodies, failure ? new Tee(all, errors) : all);
    } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // One record that cannot be written must not stop the log: say so and go on.
      CONSOLE.log(System.Logger.Level.ERROR, "request log: could not write " + r.id() + ": " + e);
    } finally {
      if (r.memory() != null) {
        r.memory().close(); // the bodies this record kept alive can go now
      }
    }
    CONSOLE.log(System.Logger.Level.INFO, summary(r));
  }

  /**
   * The console line; built by hand, since this runs once per request on the writer thread. What
   * the client chose (path, model) is redacted and escaped: a model name with a newline or an ANSI
   * escape must not forge a console line or drive the terminal.
   */
  String summary(RequestRecord r) {
    long tenthsOfMs = Math.round(r.durationMicros() / 100.0);
    StringBuilder line = new StringBuilder(128);
    line.append(r.status())
        .append(' ')
        .append(r.endpoint())
        .append(' ')
        .append(ConsoleText.clean(redactor.redact(r.path())))
        .append(" model=")
        .append(r.model() == null ? "-" : ConsoleText.clean(redactor.redact(r.model())))
        .append(" provider=")
        .append(r.provider() == null ? "-" : r.provider())
        .append(" attempts=")
        .append(AttemptRecord.countTried(r.attempts())) // as x-router-attempts: skips excluded
        .append(' ')
        .append(tenthsOfMs / 10)
        .append('.')
        .append(tenthsOfMs % 10)
        .append("ms");
    if (r.streamLog() != null) {
      line.append(" stream=").append(r.streamLog().end().logName());
    } else if (r.stream()) {
      line.append(" stream");
    }
    return line.toString();
  }

  private void flush() {
    try {
      all.flush();
      errors.flush();
    } catch (IOException e) {
      CONSOLE.log(System.Logger.Level.ERROR, "request log: flush failed: " + e);
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
    queue.add(POISON);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Records that raced in after the stop marker are written here, on the closing thread.
    List<RequestRecord> late = new ArrayList<>();
    queue.drainTo(late);
    LoggingSettings s = settings;
    for (RequestRecord r : late) {
      if (r != POISON && r != WAKE) {
        write(r, s);
      }
    }
    try (all;
        errors) {
      all.flush();
      errors.flush();
      allRaw.getFD().sync();
      errorsRaw.getFD().sync();
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

  private static Path createPrivate(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createFile(file);
  }

  private static RequestRecord marker() {
    return new RequestRecord(
        "", 0, 0, "", "", null, false, 0, null, List.of(), null, null, null, null, null, 0, null);
  }
}
