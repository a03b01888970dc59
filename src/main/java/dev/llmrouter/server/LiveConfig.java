package dev.llmrouter.server;

import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.logging.Redactor;

/**
 * The configuration requests are served with, swapped atomically on reload. A request reads it once
 * when it starts and finishes on that snapshot, whatever reloads happen meanwhile.
 */
final class LiveConfig {

  /** A config with what is derived from it, so both always match. */
  record Snapshot(
      RouterConfig config, GatewayAuth auth, BrowserRules browser, Redactor gatewayKeys) {}

  /** The address bound at start: a reload cannot move it. */
  private final String bindHost;

  private final boolean loopbackBind;
  private volatile Snapshot current;

  LiveConfig(RouterConfig config, boolean loopbackBind) {
    this.bindHost = config.server().host();
    this.loopbackBind = loopbackBind;
    set(config);
  }

  Snapshot get() {
    return current;
  }

  void set(RouterConfig config) {
    current =
        new Snapshot(
            config,
            new GatewayAuth(config.server().apiKeys()),
            new BrowserRules(
                bindHost,
                loopbackBind,
                config.server().allowedHosts(),
                config.server().allowedOrigins()),
            Redactor.ofAnyLength(config.server().apiKeys()));
  }
}
