package dev.llmrouter.stats;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What {@code stats} found in the logs: one table per grouping, and how the reading went.
 *
 * @param files the files read, in the order read
 * @param since the cut-off asked for (records before it were not counted), or null
 * @param requests records counted
 * @param first the earliest counted record's time, or null when none was counted
 * @param last the latest counted record's time, or null
 * @param malformedLines lines skipped as not a request record (blank lines are not counted)
 * @param firstMalformed {@code file:line} of the first of them, or null
 * @param endpoints a row per endpoint
 * @param providers a row per provider: requests it answered, plus the attempts sent to it
 * @param models a row per model as the client asked for it
 */
public record StatsReport(
    List<Path> files,
    Instant since,
    long requests,
    Instant first,
    Instant last,
    long malformedLines,
    String firstMalformed,
    List<GroupRow> endpoints,
    List<GroupRow> providers,
    List<GroupRow> models) {

  /** The report as the terminal table. */
  public String text() {
    return TextReport.of(this);
  }

  /** The report as one JSON object, ending in a newline. */
  public String json() {
    return JsonReport.of(this);
  }
}
