package dev.llmrouter.server;

import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.logging.JsonlRequestLog;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.logging.RequestRecord;
import dev.llmrouter.logging.StreamLog;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.metrics.Metrics;
import dev.llmrouter.routing.AttemptRecord;
import dev.llmrouter.wire.Api;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One request to an API route: its identity, timing and config snapshot, so that every way it ends
 * logs the same fields, exactly once. Made by {@link Factory}.
 */
final class Call {

  /** What every call needs to start and to be logged. */
  record Factory(LiveConfig live, MemoryBudget budget, Metrics metrics, JsonlRequestLog log) {
    Call start(Api api, String path, String clientKey) {
      return new Call(this, api, path, clientKey);
    }
  }

  private final Factory factory;
  final long startNanos = System.nanoTime();
  final long startMillis = System.currentTimeMillis();
  final String id = "req_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  final Api api;
  final String path;
  final RouterConfig config; // this request's snapshot, whatever reloads come
  final Redactor gatewayKeys;

  /** What this request holds of the memory budget; the log writer gives it back. */
  final MemoryBudget.Ledger memory;

  byte[] body;
  RequestFields fields = new RequestFields(null, false);

  /** The gateway key's id (never the key), when gateway auth is on. */
  final String clientKey;

  /** Whether the record went to the log: every request gets exactly one. */
  boolean logged;

  private Call(Factory factory, Api api, String path, String clientKey) {
    this.factory = factory;
    this.api = api;
    this.path = path;
    this.clientKey = clientKey;
    this.memory = factory.budget().ledger();
    LiveConfig.Snapshot snapshot = factory.live().get();
    this.config = snapshot.config();
    this.gatewayKeys = snapshot.gatewayKeys();
  }

  void log(
      int status,
      String provider,
      List<AttemptRecord> attempts,
      byte[] response,
      String error,
      StreamLog stream) {
    logged = true;
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
    factory
        .metrics()
        .request(
            api.id(), status, attempts, micros, stream == null ? -1 : stream.firstEventMicros());
    factory
        .log()
        .submit(
            new RequestRecord(
                id,
                startMillis,
                micros,
                api.id(),
                path,
                fields.model(),
                fields.stream(),
                status,
                provider,
                attempts,
                body,
                response,
                error,
                stream,
                clientKey,
                config.server().maxResponseBytes(),
                memory));
  }
}
