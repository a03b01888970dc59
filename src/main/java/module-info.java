/**
 * llm-api-router as a library. Only the embedding facade is exported: {@code dev.llmrouter} (the
 * {@link dev.llmrouter.Router} that starts, reloads and stops a router) and {@code
 * dev.llmrouter.config} (the configuration it takes, loaded from a file or a string or built in
 * code). Every other package is internal to the module; its public classes are public only so that
 * the module's own packages can share them.
 */
module dev.llmrouter {
  requires java.logging; // the CLI's console handler and format; the request log flushes it
  requires java.management; // serve's old-generation sweep (memory.OldGenerationSweep)
  requires java.net.http;
  requires jdk.httpserver;
  requires tools.jackson.databind;

  exports dev.llmrouter;
  exports dev.llmrouter.config;
  // The JDK creates the CLI's log manager by reflection (cli.DrainAwareLogManager); no program
  // that embeds the router can reach the package.
  exports dev.llmrouter.cli to
      java.logging;
}
