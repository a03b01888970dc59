package dev.llmrouter.server;

import dev.llmrouter.config.RouterConfig;

/**
 * The configuration requests are served with, swapped atomically on reload. A request reads it once
 * when it starts and finishes on that snapshot, whatever reloads happen meanwhile.
 */
final class LiveConfig {

  /** A config with what is derived from it, so both always match. */
  record Snapshot(RouterConfig config, GatewayAuth auth) {}

  private volatile Snapshot current;

  LiveConfig(RouterConfig config) {
    set(config);
  }

  Snapshot get() {
    return current;
  }

  void set(RouterConfig config) {
    current = new Snapshot(config, new GatewayAuth(config.server().apiKeys()));
  }
}
