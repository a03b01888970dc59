package dev.llmrouter.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Records on their way from the request threads to the log's one writer thread, and when that
 * thread is woken for them. Every {@value #BATCH}th record wakes it; it also looks on its own every
 * {@link #WAIT_NANOS}, so a record waits at most that long. Each wake-up costs a futex wake, a file
 * {@code write} and a console flush (bench/README.md): on one core a writer woken by each record
 * wrote batches of one (about 10 µs per request at 32 connections), and one woken by every 8th
 * still paid about 2.5 µs per request for its wake-ups. At 11,000 requests/s, 64 records come in
 * about 6 ms, within the 10 ms a record may wait anyway. After {@value #IDLE_WAITS} empty looks in
 * a row it sleeps until the next record wakes it, so an idle router's writer does not wake at all.
 */
final class RecordHandOff {

  /** The most records one batch takes (a burst is written in several). */
  private static final int MAX_BATCH = 1024;

  /** How many records wake the writer. */
  private static final int BATCH = 64;

  /** The longest a record waits for the writer when fewer than {@link #BATCH} came. */
  private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Empty looks in a row (100 ms without a record) after which the writer sleeps until woken. */
  private static final int IDLE_WAITS = 10;

  private final ConcurrentLinkedQueue<RequestRecord> queue = new ConcurrentLinkedQueue<>();

  /** Records handed over since the writer was last woken for them. */
  private final AtomicInteger unsignalled = new AtomicInteger();

  /** The writer parked without a timeout: the next record must wake it. */
  private volatile boolean asleep;

  private final Thread writer;

  /**
   * @param writer the thread that takes the records, not yet started
   */
  RecordHandOff(Thread writer) {
    this.writer = writer;
  }

  /** Hands a record over; never blocks. */
  void add(RequestRecord record) {
    queue.add(record);
    if (unsignalled.incrementAndGet() >= BATCH) {
      unsignalled.set(0);
      LockSupport.unpark(writer);
    } else if (asleep) {
      LockSupport.unpark(writer); // the first record after a quiet spell
    }
  }

  /** Hands a marker over and wakes the writer for it at once (new settings, the end). */
  void addNow(RequestRecord marker) {
    queue.add(marker);
    LockSupport.unpark(writer);
  }

  /**
   * On the writer thread: moves the records waiting (at most {@value #MAX_BATCH}) into {@code
   * batch}, waiting for some when there are none.
   *
   * @return false, with nothing taken, when the thread is interrupted
   */
  boolean take(List<RequestRecord> batch) {
    int emptyWaits = 0;
    while (true) {
      for (RequestRecord r; batch.size() < MAX_BATCH && (r = queue.poll()) != null; ) {
        batch.add(r);
      }
      if (!batch.isEmpty()) {
        return true;
      }
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      if (++emptyWaits < IDLE_WAITS) {
        LockSupport.parkNanos(this, WAIT_NANOS);
      } else {
        sleepUntilWoken();
      }
    }
  }

  /**
   * Parks without a timeout until a record wakes it. The flag is set before the queue is looked at
   * again, and {@link #add} adds before it reads the flag: whichever comes second sees the other,
   * so no record is left waiting for a wake-up.
   */
  private void sleepUntilWoken() {
    asleep = true;
    if (queue.isEmpty() && !Thread.currentThread().isInterrupted()) {
      LockSupport.park(this);
    }
    asleep = false;
  }

  /** What is still waiting, taken one by one: a record that races in meanwhile is not lost. */
  List<RequestRecord> rest() {
    List<RequestRecord> rest = new ArrayList<>();
    for (RequestRecord r; (r = queue.poll()) != null; ) {
      rest.add(r);
    }
    return rest;
  }
}
