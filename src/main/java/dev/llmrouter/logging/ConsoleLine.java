package dev.llmrouter.logging;

import dev.llmrouter.routing.AttemptRecord;

/** The console line of one request, as the request log's writer prints it. */
final class ConsoleLine {

  private ConsoleLine() {}

  /**
   * The console line; built by hand, since this runs once per request on the writer thread. What
   * the client chose (path, model) is redacted and escaped: a model name with a newline or an ANSI
   * escape must not forge a console line or drive the terminal.
   */
  static String of(RequestRecord r, Redactor redactor) {
    long tenthsOfMs = Math.round(r.durationMicros() / 100.0);
    StringBuilder line = new StringBuilder(128);
    line.append(r.status())
        .append(' ')
        .append(r.endpoint())
        .append(' ')
        .append(ConsoleText.clean(r.method()))
        .append(' ')
        .append(ConsoleText.clean(redactor.redact(r.path())))
        .append(" model=")
        .append(r.model() == null ? "-" : ConsoleText.clean(redactor.redact(r.model())))
        .append(" provider=")
        .append(r.provider() == null ? "-" : ConsoleText.clean(r.provider()))
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
}
