package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a proxy request asks a provider to do, beyond which API it speaks: where the request goes
 * upstream, and how its stream (if any) ends and reports errors. Chat and Messages can be
 * translated into each other; every other operation goes only to providers of its own API.
 */
public enum Operation {
  CHAT(Api.OPENAI, "/chat/completions", "chat"),
  MESSAGES(Api.ANTHROPIC, "/v1/messages", "messages"),
  RESPONSES(Api.OPENAI, "/responses", "responses"),
  EMBEDDINGS(Api.OPENAI, "/embeddings", "embeddings"),
  COMPLETIONS(Api.OPENAI, "/completions", "completions"),
  COUNT_TOKENS(Api.ANTHROPIC, "/v1/messages/count_tokens", "count_tokens");

  private final Api api;

  /**
   * Appended to the provider's base URL: OpenAI bases carry the version ({@code
   * https://api.openai.com/v1} + {@code /responses}), Anthropic bases do not ({@code
   * https://api.anthropic.com} + {@code /v1/messages}).
   */
  private final String path;

  private final String id;

  Operation(Api api, String path, String id) {
    this.api = api;
    this.path = path;
    this.id = id;
  }

  /** The API of the endpoint: the shape of every error the client sees. */
  public Api api() {
    return api;
  }

  /** The name in logs and metrics ({@code route} label). */
  public String id() {
    return id;
  }

  /**
   * The operation a provider that speaks {@code speaks} performs for this one: this one, its
   * translation into the other API (Chat and Messages only), or null when it cannot serve it.
   */
  public Operation servedBy(Api speaks) {
    if (speaks == api) {
      return this;
    }
    return switch (this) {
      case CHAT -> MESSAGES;
      case MESSAGES -> CHAT;
      case RESPONSES, EMBEDDINGS, COMPLETIONS, COUNT_TOKENS -> null;
    };
  }

  /**
   * Whether every provider of this API serves this route (Chat Completions, Messages): a 404 there
   * is about the model. vLLM, Ollama and many compatible servers lack /responses or count_tokens.
   */
  public boolean everyProviderServes() {
    return this == CHAT || this == MESSAGES;
  }

  /**
   * The name a provider's rate limit for {@code model} is kept under on this route: the model's own
   * on every route but count_tokens, since a provider limits a key per model, not per path (a 429
   * on chat cools the model for the Responses API too). Anthropic limits token counting apart:
   * "token counting and message creation have separate and independent rate limits", so its 429
   * must not stop Messages, nor Messages' 429 stop counting. Null stays null (the whole provider).
   */
  public String limitKey(String model) {
    return this == COUNT_TOKENS && model != null ? model + " (count_tokens)" : model;
  }

  /** Where this operation goes on a provider, with the client's query when it has one. */
  public URI upstreamUri(URI baseUrl, String rawQuery) {
    return Api.join(baseUrl, path, rawQuery);
  }

  /**
   * Whether this event is the stream's last: {@code [DONE]} (Chat, legacy completions), Anthropic's
   * {@code message_stop}, or one of the three that end a Responses stream.
   */
  public boolean isFinalEvent(SseFraming.Event event) {
    return this == RESPONSES ? ResponsesEvents.isFinal(event) : api.isFinalEvent(event);
  }

  /**
   * Whether this event is a {@code [DONE]} on a stream whose last event is another (the Responses
   * API, Messages): the upstream's end, sent by some compatible servers. The SDKs stop reading at
   * it (PROTOCOLS.md 1.3), so it is not relayed: the stream ended without its last event.
   */
  public boolean isDoneWithoutFinal(SseFraming.Event event) {
    return (this == RESPONSES || api == Api.ANTHROPIC) && Api.OPENAI.isFinalEvent(event);
  }

  /**
   * Whether this event, before any other, carries nothing a client could miss if the stream were
   * dropped for another provider's: Azure OpenAI's opening chunk of content-filter results (empty
   * {@code choices}, no {@code usage}), Anthropic's {@code message_start} (an empty message: no
   * content yet) and {@code ping}, the Responses API's {@code response.created} and {@code
   * response.in_progress} (the response with no output yet). It is held back with the commit point,
   * so that an error right after it still falls back: Anthropic's mid-stream {@code
   * overloaded_error} most often comes right after {@code message_start}, OpenAI's {@code
   * too_many_requests} error event after {@code response.in_progress} (PROTOCOLS.md 6.4), and the
   * next event follows them within milliseconds when the answer goes on. A role chunk is the
   * answer's start: it commits, and reaches the client at once.
   */
  public boolean isPreamble(SseFraming.Event event) {
    return switch (this) {
      // Azure opens a legacy completions stream with the same chunk of filter results.
      case CHAT, COMPLETIONS -> ChatChunks.hasNoChoices(event.data());
      case MESSAGES -> event.is("message_start") || event.is("ping");
      case RESPONSES -> event.is("response.created") || event.is("response.in_progress");
      case EMBEDDINGS, COUNT_TOKENS -> false;
    };
  }

  /**
   * The largest event its stream may send before it counts as broken: 1 MiB, where events are
   * deltas and one of megabytes is an upstream gone wrong (the hostile-peers rule); a whole answer
   * ({@code maxResponseBytes}) for the Responses API, whose {@code response.completed} repeats the
   * whole response and whose {@code image_generation} events carry base64 images of 1-3 MB.
   */
  public long maxEventBytes(long maxResponseBytes) {
    return this == RESPONSES
        ? maxResponseBytes
        : Math.min(maxResponseBytes, SseFraming.FREE_EVENT_BYTES);
  }

  /**
   * For a final event that reports a failure (a Responses stream's {@code response.failed}), the
   * status it stands for; 0 for an answer's end and any other event.
   */
  public int failedEndStatus(SseFraming.Event event) {
    return this == RESPONSES ? ResponsesEvents.failedEndStatus(event) : 0;
  }

  /** Whether this event is the upstream reporting an error in the protocol. */
  public boolean isErrorEvent(SseFraming.Event event) {
    return this == RESPONSES ? ResponsesEvents.isError(event) : api.isErrorEvent(event);
  }

  /** The HTTP status an error event stands for, or 0 when the event is not an error. */
  public int errorEventStatus(SseFraming.Event event) {
    return this == RESPONSES ? ResponsesEvents.errorStatus(event) : api.errorEventStatus(event);
  }

  /**
   * The one event the router sends to end a committed stream that broke.
   *
   * @param last the last event the client received (a Responses error event numbers itself after
   *     it), or null
   */
  public byte[] streamErrorEvent(
      ErrorKind kind, String message, SseFraming.Event last, long relayed) {
    return this == RESPONSES
        ? ResponsesEvents.errorEvent(kind, message, last, relayed)
        : api.streamErrorEvent(kind, message);
  }

  /**
   * An upstream's error event as this operation's clients get it: a Responses one in both of its
   * forms (see {@link ResponsesEvents#withBothForms}), others as they came.
   *
   * @param last the last event the client received before it, or null
   * @param relayed how many events the client received before it
   */
  public SseFraming.Event clientErrorEvent(
      SseFraming.Event event, SseFraming.Event last, long relayed) {
    if (this == RESPONSES) {
      return ResponsesEvents.withBothForms(event, last, relayed);
    }
    if (api == Api.OPENAI && "error".equals(event.name())) {
      // A Chat or completions event named error: openai-node throws on the name, openai-python
      // only on an "error" key (PROTOCOLS.md 6.4), and would end quietly on flat data or none.
      String json = new String(chatErrorBody(event), StandardCharsets.UTF_8);
      return json.equals(event.data())
          ? event
          : new SseFraming.Event(SseFraming.event("error", json), "error", json);
    }
    return event;
  }

  /**
   * A Chat event named error as the OpenAI error body: its data when that has an {@code error} key;
   * flat data ({@code {"message", "type", "code"}}, as some servers send) under one; text or
   * nothing as the message of a {@code server_error}.
   */
  private static byte[] chatErrorBody(SseFraming.Event event) {
    JsonNode data = Api.dataJson(event); // text or nothing: a missing node, the message below
    if (data.has("error")) {
      return event.data().getBytes(StandardCharsets.UTF_8);
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (data instanceof ObjectNode flat) {
      root.set("error", flat);
    } else {
      ObjectNode error = root.putObject("error");
      String text = event.data();
      error.put("message", text == null || text.isBlank() ? "upstream error" : text);
      error.put("type", "server_error");
      error.putNull("code");
      error.putNull("param");
    }
    return Json.MAPPER.writeValueAsBytes(root);
  }

  /**
   * A stream's first event that is an error, as the complete error body the same failure would have
   * had without a stream: the event's data for the APIs whose error events carry one, the OpenAI
   * error object for a Responses event (its published form is flat).
   */
  public byte[] errorEventBody(SseFraming.Event event) {
    // A Responses error event's published form is flat; so is a Chat event named error that some
    // servers send ({"message", "type", "code"}): each made into the nested body the SDKs read.
    if (this == RESPONSES) {
      return ResponsesEvents.errorBody(event);
    }
    return api == Api.OPENAI && "error".equals(event.name())
        ? chatErrorBody(event)
        : event.data().getBytes(StandardCharsets.UTF_8);
  }
}
