package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.routing.AttemptRecord;
import dev.llmrouter.routing.ResponseAffinity;
import dev.llmrouter.routing.Target;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.ErrorKind;
import dev.llmrouter.wire.Operation;
import java.io.IOException;
import java.util.List;

/**
 * Which providers a proxied request goes to, in order: those that serve its model, each with its
 * own model ID and, for a provider of the other API, the request translated; or only the provider
 * that holds the response a Responses API request continues. Answers the client itself (404, 400)
 * when no provider can take the request.
 */
final class TargetChoice {

  /**
   * @param holder the one provider that may answer (it made {@code previous_response_id}), or null
   *     for a normal walk over {@code targets}
   */
  record Choice(List<Target> targets, Target holder) {}

  private final Redactor redactor;
  private final ResponseAffinity affinity;

  TargetChoice(Redactor redactor, ResponseAffinity affinity) {
    this.redactor = redactor;
    this.affinity = affinity;
  }

  /** The choice, or null when no provider can take the request (answered here). */
  Choice choose(HttpExchange exchange, Call call, Operation operation) throws IOException {
    List<ProviderConfig> providers = ModelLists.providers(call.config, call.api);
    // A response that continues one this router relayed goes to the provider that holds it.
    ProviderConfig holder = holder(call, operation, providers);
    if (holder != null) {
      Target target = servedByHolder(exchange, call, holder);
      return target == null ? null : new Choice(List.of(target), target);
    }
    List<Target> targets = targets(exchange, call, operation, providers);
    return targets == null ? null : new Choice(targets, null);
  }

  /**
   * The providers to walk, in order, each with its model ID and, for a provider of the other API,
   * the translated request; null when no provider can take the request (answered here).
   */
  private List<Target> targets(
      HttpExchange exchange, Call call, Operation operation, List<ProviderConfig> providers)
      throws IOException {
    String model = call.fields.model();
    List<Target> targets = Target.serving(providers, model);
    if (targets.isEmpty() && !providers.isEmpty()) {
      // Nobody serves it: the client's mistake, answered without calling anyone.
      call.answerSelf(
          exchange,
          model == null ? ErrorKind.MODEL_REQUIRED : ErrorKind.MODEL_NOT_FOUND,
          ModelLists.notServedMessage(providers, model, redactor),
          List.of());
      return null;
    }
    targets = Target.translated(targets, operation, call.body);
    if (!targets.isEmpty() && targets.stream().allMatch(t -> t.notTranslatable() != null)) {
      noProviderCanTake(exchange, call, operation, targets);
      return null;
    }
    return targets;
  }

  /**
   * Every provider that serves the model speaks the other API, which cannot take the request: each
   * is logged as skipped ({@code not_translatable}), as a walk past it would.
   */
  private void noProviderCanTake(
      HttpExchange exchange, Call call, Operation operation, List<Target> targets)
      throws IOException {
    List<AttemptRecord> skipped = targets.stream().map(AttemptRecord::untranslatable).toList();
    String why = targets.get(0).notTranslatable();
    if (!why.equals(Target.OTHER_API)) {
      call.answerSelf(
          exchange,
          ErrorKind.INVALID_REQUEST,
          "No provider of this endpoint can serve this request: its field '"
              + why
              + "' cannot be translated to the API its providers speak.",
          skipped);
      return;
    }
    String requested = call.fields.model();
    String model = requested == null ? "" : " for the model '" + redactor.shown(requested) + "'";
    String what =
        operation == Operation.COUNT_TOKENS
            ? "No provider can count tokens" + model
            : "No provider serves " + call.path + model;
    call.answerSelf(
        exchange,
        ErrorKind.NOT_FOUND,
        what
            + ": the providers that serve it speak the "
            + (call.api == Api.OPENAI ? "Anthropic" : "OpenAI")
            + " API, which has no such route.",
        skipped);
  }

  /**
   * The provider that made the response a Responses API request continues ({@code
   * previous_response_id}), when the router relayed it and the provider is still configured; null
   * otherwise (an unknown id takes the normal walk: it may predate a restart).
   */
  private ProviderConfig holder(Call call, Operation operation, List<ProviderConfig> providers) {
    String previous = call.fields.previousResponseId();
    if (operation != Operation.RESPONSES || previous == null) {
      return null;
    }
    String name = affinity.providerOf(previous);
    for (ProviderConfig p : providers) {
      // Still of the API it made the response in: a reload may have changed that.
      if (p.name().equals(name) && p.api() == call.api.family()) {
        return p;
      }
    }
    return null;
  }

  /**
   * The holder with its own ID for the request's model; null when its {@code models} do not serve
   * that model, answered here as any unserved model is: the conversation cannot move to a provider
   * that does, and the holder's list is the operator's (an allow-list that a follow-up with another
   * model must not get past, or alias-only deployment names the provider would refuse).
   */
  private Target servedByHolder(HttpExchange exchange, Call call, ProviderConfig holder)
      throws IOException {
    String model = call.fields.model();
    List<Target> serving = Target.serving(List.of(holder), model);
    if (!serving.isEmpty()) {
      return serving.get(0);
    }
    call.answerSelf(
        exchange,
        model == null ? ErrorKind.MODEL_REQUIRED : ErrorKind.MODEL_NOT_FOUND,
        (model == null
                ? "The request must name a model in 'model'"
                : "The model '" + redactor.shown(model) + "' is not served")
            + ": this request continues a response ('previous_response_id') that only provider '"
            + holder.name()
            + "' holds, and it serves named models only."
            + ModelLists.served(List.of(holder)),
        List.of());
    return null;
  }
}
