package dev.llmrouter.cli;

import java.util.Map;

/** The help texts: general usage and one per command. */
final class Usage {
  private Usage() {}

  static final String GENERAL =
      """
      llm-api-router: a local router for the OpenAI and Anthropic APIs, with priority fallback.

      Usage: llm-api-router <command> [options]
             java -jar llm-api-router.jar <command> [options]

      Commands:
        init    [--config FILE] [--force]   write an example config (default llm_router_config.json)
        check   [--config FILE]             validate the config and show the providers
        serve   [--config FILE] [--host H] [--port P] [--log-dir DIR] [--allow-unauthenticated]
                                            start the router
        mock    [--host H] [--port P] [--scenario ok|429|500|503|context|slow-MS|hang]
                                            serve a fake OpenAI + Anthropic provider (default port 9000)
        demo    [--port P] [--log-dir DIR]  start a router in front of two mock providers
                                            (the first rate limited), no keys needed
        stats   [--config FILE] [--log-dir DIR | FILE...] [--since DURATION|TIME] [--json]
                                            requests, success, fallbacks, latency, tokens and
                                            failures per endpoint, provider and model, from the logs
        help [COMMAND]                      show this text, or a command's options

      Options:
        --help, -h      show help (also after a command: llm-api-router serve --help)
        --version, -V   print the version

      Endpoints: POST /openai/v1/chat/completions, /openai/v1/responses,
                      /openai/v1/embeddings, /openai/v1/completions (also without /v1);
                 GET|DELETE /openai/v1/responses/{id}, POST .../{id}/cancel,
                      GET .../{id}/input_items; GET /openai/v1/models[/{id}];
                 POST /anthropic/v1/messages, /anthropic/v1/messages/count_tokens
                      (/anthropic/chat/completions); GET /anthropic/v1/models[/{id}];
                 GET /, /health, /health/ready, /metrics, /openapi.json, /docs
      """;

  private static final Map<String, String> COMMANDS =
      Map.of(
          "init",
          """
          Usage: llm-api-router init [--config FILE] [--force]

          Writes an example config with two providers per endpoint, keys as ${OPENAI_API_KEY} and
          ${ANTHROPIC_API_KEY} references. Refuses to overwrite an existing file.

            --config FILE   where to write it (default llm_router_config.json)
            --force         overwrite an existing file
          """,
          "check",
          """
          Usage: llm-api-router check [--config FILE]

          Validates the config and prints each endpoint's providers in priority order, keys
          masked. Exit 0 when valid; 1 with every problem and its JSON path when not.

            --config FILE   the config (default llm_router_config.json)
          """,
          "serve",
          """
          Usage: llm-api-router serve [--config FILE] [--host H] [--port P] [--log-dir DIR]
                                      [--allow-unauthenticated]

          Starts the router. Flags override the config file. SIGTERM/SIGINT stop it gracefully.

            --config FILE              the config (default llm_router_config.json)
            --host H                   bind address (default from config, else 127.0.0.1)
            --port P                   port (default from config, else 8000; 0 = any free port)
            --log-dir DIR              JSONL log directory (default from config, else logs)
            --allow-unauthenticated    allow a non-loopback bind without server.api_keys
          """,
          "mock",
          """
          Usage: llm-api-router mock [--host H] [--port P] [--scenario SCENARIO]

          Serves a fake provider speaking both wire formats: OpenAI base URL
          http://H:P/v1, Anthropic base URL http://H:P. Any key is accepted.

            --host H              bind address (default 127.0.0.1)
            --port P              port (default 9000)
            --scenario SCENARIO   ok (default), 429, 500, 503, context (400: prompt over
                                  the context window), slow-MS (answer after MS ms), hang
          """,
          "demo",
          """
          Usage: llm-api-router demo [--port P] [--log-dir DIR]

          Starts a router on 127.0.0.1:P (default 8000) in front of two in-process mock
          providers, the first rate limited and the second healthy, and prints curl commands
          that show a fallback. No keys, no network needed.

            --port P        router port (default 8000)
            --log-dir DIR   JSONL log directory (default logs)
          """,
          "stats",
          """
          Usage: llm-api-router stats [--config FILE] [--log-dir DIR | FILE...]
                                      [--since DURATION|TIME] [--json]

          Reads the JSONL request logs and prints, per endpoint, per provider and per requested
          model: requests, success % (2xx, and a relayed stream completed), fallbacks (answered by
          another provider than the first one called; skipped ones were not called), attempts
          (provider calls), p50/p95/p99 duration and stream time to first event (within 1%),
          input and output tokens (usage), and the five most frequent failure classes. A provider
          row counts the requests it answered, and the calls and failures of its own attempts.
          Reads every router_*.jsonl of the folder (rotated ones in order), never the
          *_errors.jsonl copies; skips and counts malformed lines. Exit 1 when there are no logs.

            --config FILE     read logging.dir from it (default llm_router_config.json if it
                              exists, else the folder is logs)
            --log-dir DIR     the log folder, instead of the config's
            FILE...           these files (an errors file too, if named), in the order given
            --since WHEN      only requests at or after WHEN: 30m, 2h, 7d back from now, or a
                              time: 2026-12-05T10:00:00Z, or local 2026-12-05T10:00
            --json            print the same as one JSON object
          """);

  /** The text for a topic (null = general), or null for an unknown command. */
  static String of(String topic) {
    return of(topic, Invocation.DEFAULT);
  }

  /**
   * The same, with the commands in it written as the user runs the router ({@code invokedAs}, see
   * {@link Invocation}): the usage lines, their continuation lines shifted to stay aligned.
   */
  static String of(String topic, String invokedAs) {
    // help and version are commands too, whose words the general text holds.
    boolean general =
        topic == null
            || java.util.Set.of("help", "--help", "-h", "version", "--version", "-V")
                .contains(topic);
    String text = general ? GENERAL : COMMANDS.get(topic);
    if (text == null || invokedAs.equals(Invocation.DEFAULT)) {
      return text;
    }
    String usage = "Usage: " + Invocation.DEFAULT + " ";
    int shift = invokedAs.length() - Invocation.DEFAULT.length();
    StringBuilder out = new StringBuilder(text.length() + 64);
    boolean inUsage = false;
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(usage)) {
        out.append("Usage: ").append(invokedAs).append(' ').append(line.substring(usage.length()));
        inUsage = true;
      } else if (inUsage && line.strip().startsWith("java -jar")) {
        continue; // the general text's second form: the one the user runs is shown above
      } else if (inUsage && line.startsWith(" ") && line.strip().startsWith("[")) {
        out.append(
            shift > 0 ? " ".repeat(shift) + line : line.substring(Math.min(-shift, indent(line))));
      } else {
        inUsage = false;
        out.append(
            line.replace("command: " + Invocation.DEFAULT + " ", "command: " + invokedAs + " "));
      }
      out.append('\n');
    }
    return out.substring(0, out.length() - 1);
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
