package dev.llmrouter.config;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The {@code "server"} section; every key is optional. */
final class ServerSection {

  /** Smallest accepted body limit: anything lower would reject even a trivial chat request. */
  static final long MIN_BODY_BYTES = 1024;

  /** A body is buffered in one byte array, which cannot be larger than this. */
  static final long MAX_BODY_BYTES = Integer.MAX_VALUE;

  private ServerSection() {}

  static Optional<ServerSettings> server(String path, JsonNode json, ParseContext ctx) {
    if (!json.isObject()) {
      ctx.problem(path, "must be an object");
      return Optional.empty();
    }
    ObjectReader reader = new ObjectReader(path, json, ctx);
    var host = reader.key("host", Values.bindHost());
    // 0 is accepted (ephemeral port, for tests) but not advertised in the message.
    var port =
        reader.key("port", Values.integer(0, 65535, "must be 1..65535 (or 0: any free port)"));
    var apiKeys = reader.key("api_keys", Values.list(Values.secret("must be a non-empty string")));
    var maxBodyBytes =
        reader.key(
            "max_body_bytes",
            Values.integer(
                MIN_BODY_BYTES,
                MAX_BODY_BYTES,
                "must be " + MIN_BODY_BYTES + ".." + MAX_BODY_BYTES));
    var requestTimeout = reader.key("request_timeout", Values.seconds(false));
    var shutdownGrace = reader.key("shutdown_grace", Values.seconds(true));
    var maxInFlight =
        reader.key("max_in_flight", Values.integer(1, 1_000_000, "must be 1..1000000"));
    var maxResponseBytes =
        reader.key(
            "max_response_bytes",
            Values.integer(
                MIN_BODY_BYTES,
                MAX_BODY_BYTES,
                "must be " + MIN_BODY_BYTES + ".." + MAX_BODY_BYTES));
    var maxBufferedBytes =
        reader.key(
            "max_buffered_bytes",
            Values.integer(
                ServerSettings.MIN_BUFFERED_BYTES,
                Long.MAX_VALUE,
                "must be an integer from "
                    + ServerSettings.MIN_BUFFERED_BYTES
                    + " (1 MiB) to "
                    + Long.MAX_VALUE));
    var allowedHosts = reader.key("allowed_hosts", Values.list(Values.hostName()));
    var allowedOrigins = reader.key("allowed_origins", Values.list(Values.origin()));
    var maxCooldownWait = reader.key("max_cooldown_wait", Values.seconds(true));
    var affinityMax =
        reader.key(
            "response_affinity_max",
            Values.integer(1, Integer.MAX_VALUE, "must be an integer from 1 to 2147483647"));
    var affinityTtl = reader.key("response_affinity_ttl", Values.seconds(false));
    reader.read();
    return Optional.of(
        new ServerSettings(
            host.orElse(ServerSettings.DEFAULT_HOST),
            port.orElse((long) ServerSettings.DEFAULT_PORT).intValue(),
            apiKeys.orElse(List.of()),
            maxBodyBytes.orElse(ServerSettings.DEFAULT_MAX_BODY_BYTES),
            requestTimeout.orElse(ServerSettings.DEFAULT_REQUEST_TIMEOUT),
            shutdownGrace.orElse(ServerSettings.DEFAULT_SHUTDOWN_GRACE),
            maxInFlight.orElse((long) ServerSettings.DEFAULT_MAX_IN_FLIGHT).intValue(),
            maxResponseBytes.orElse(ServerSettings.DEFAULT_MAX_RESPONSE_BYTES),
            maxBufferedBytes.orElse(ServerSettings.defaultMaxBufferedBytes()),
            allowedHosts.orElse(List.of()),
            allowedOrigins.orElse(List.of()),
            maxCooldownWait.orElse(ServerSettings.DEFAULT_MAX_COOLDOWN_WAIT),
            affinityMax.orElse((long) ServerSettings.DEFAULT_RESPONSE_AFFINITY_MAX).intValue(),
            affinityTtl.orElse(ServerSettings.DEFAULT_RESPONSE_AFFINITY_TTL)));
  }
}
