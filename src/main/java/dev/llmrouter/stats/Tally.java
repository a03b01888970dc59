package dev.llmrouter.stats;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of a whole run, updated one record at a time. Memory is bounded whatever the log's
 * size: a fixed number of counters and histograms per row, and at most {@link #MAX_ROWS} rows per
 * table (the requested model is whatever clients sent, so its rows are capped).
 */
final class Tally {

  static final int MAX_ROWS = 200;

  /** The row that collects everything past {@link #MAX_ROWS} distinct names. */
  static final String OTHER_ROWS = "(other)";

  private final Instant since;
  private final Table endpoints = new Table();
  private final Table providers = new Table();
  private final Table models = new Table();
  private long requests;
  private Instant first;
  private Instant last;
  private long malformed;
  private String firstMalformed;

  /** Records before {@code since} (null: none) are not counted. */
  Tally(Instant since) {
    this.since = since;
  }

  void add(LogRecord r) {
    if (since != null && r.time().isBefore(since)) {
      return;
    }
    requests++;
    first = first == null || r.time().isBefore(first) ? r.time() : first;
    last = last == null || r.time().isAfter(last) ? r.time() : last;
    GroupStats endpoint = endpoints.row(r.endpoint());
    GroupStats model = models.row(r.model());
    endpoint.request(r);
    model.request(r);
    providers.row(r.provider()).request(r);
    for (LogRecord.Attempt a : r.attempts()) {
      endpoint.attempt(a);
      model.attempt(a);
      // A provider's failures are its own calls', whoever answered the request in the end.
      providers.row(a.provider()).attempt(a);
    }
  }

  void malformed(Path file, long line) {
    if (malformed++ == 0) {
      firstMalformed = file + ":" + line;
    }
  }

  /**
   * Adds what {@code later} counted: the tally of a file read after every file merged so far, so
   * that the first malformed line stays the first in reading order.
   */
  void merge(Tally later) {
    requests += later.requests;
    first =
        later.first != null && (first == null || later.first.isBefore(first)) ? later.first : first;
    last = later.last != null && (last == null || later.last.isAfter(last)) ? later.last : last;
    if (firstMalformed == null) {
      firstMalformed = later.firstMalformed;
    }
    malformed += later.malformed;
    endpoints.merge(later.endpoints);
    providers.merge(later.providers);
    models.merge(later.models);
  }

  /** Whether any table met more names than it has rows for. */
  boolean overflowed() {
    return endpoints.other != null || providers.other != null || models.other != null;
  }

  StatsReport report(List<Path> files) {
    return new StatsReport(
        List.copyOf(files),
        since,
        requests,
        first,
        last,
        malformed,
        firstMalformed,
        endpoints.rows(),
        providers.rows(),
        models.rows());
  }

  /** One table's rows by name (null is a name: "none"). */
  private static final class Table {
    // In the order names were first met: a merge gives rows to names as reading in order would.
    private final Map<String, GroupStats> rows = new LinkedHashMap<>();
    private GroupStats other;

    GroupStats row(String name) {
      GroupStats row = rows.get(name);
      if (row != null) {
        return row;
      }
      if (rows.size() < MAX_ROWS) {
        row = new GroupStats();
        rows.put(name, row);
        return row;
      }
      if (other == null) {
        other = new GroupStats();
      }
      return other;
    }

    /** Names past the cap here go to its "other" row, as they would have if read here. */
    void merge(Table from) {
      from.rows.forEach((name, stats) -> row(name).merge(stats));
      if (from.other != null) {
        if (other == null) {
          other = new GroupStats();
        }
        other.merge(from.other);
      }
    }

    /** Busiest first; rows without requests (a provider that only failed) by attempts. */
    List<GroupRow> rows() {
      List<GroupRow> all = new ArrayList<>(rows.size() + 1);
      rows.forEach((name, stats) -> all.add(stats.row(name)));
      all.sort(
          Comparator.comparingLong(GroupRow::requests)
              .thenComparingLong(GroupRow::attempts)
              .reversed()
              .thenComparing(GroupRow::name, Comparator.nullsLast(Comparator.naturalOrder())));
      if (other != null) {
        all.add(other.row(OTHER_ROWS));
      }
      return List.copyOf(all);
    }
  }
}
