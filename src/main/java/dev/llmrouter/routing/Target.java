package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.Operation;
import dev.llmrouter.wire.Translator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One provider that serves a request's model, with the model ID it knows that model by, and, for a
 * provider of the other API, the request translated into its API (or why it cannot be).
 *
 * @param model the upstream model ID to send; null when the request names no model
 * @param translatedBody the request in the provider's API; null when it speaks the client's
 * @param notTranslatable the request field its API cannot express; null when it can take it
 */
@SuppressWarnings("ArrayRecordComponent")
public record Target(
    ProviderConfig provider, String model, byte[] translatedBody, String notTranslatable) {

  public Target(ProviderConfig provider, String model) {
    this(provider, model, null, null);
  }

  /**
   * The providers (in priority order) that serve {@code requested}, each with its model ID for it;
   * a request without a model ({@code null}) is served only by providers that serve any model.
   * Empty when none does.
   */
  public static List<Target> serving(List<ProviderConfig> providers, String requested) {
    List<Target> out = new ArrayList<>(providers.size());
    for (ProviderConfig p : providers) {
      String id = p.models().upstreamFor(requested);
      if (id != null || (requested == null && p.models().servesAny())) {
        out.add(new Target(p, id));
      }
    }
    return out;
  }

  /**
   * The targets with the client's request translated for each provider of the other API: once per
   * distinct (API, model ID, output limit), so twenty keys of one model cost one translation. A
   * provider of the other API cannot take an operation only one API has (the Responses API,
   * embeddings, count_tokens): it is marked with {@link #OTHER_API}.
   */
  public static List<Target> translated(List<Target> targets, Operation operation, byte[] body) {
    Api client = operation.api();
    List<Target> out = null;
    Map<String, Target> done = new HashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      Api speaks = t.provider().api() == null ? client : Api.of(t.provider().api());
      if (speaks == client) {
        if (out != null) {
          out.add(t);
        }
        continue;
      }
      if (out == null) {
        out = new ArrayList<>(targets.subList(0, i));
      }
      if (operation.servedBy(speaks) == null) {
        out.add(new Target(t.provider(), t.model(), null, OTHER_API));
        continue;
      }
      String key = speaks.id() + "\n" + t.model() + "\n" + t.provider().maxTokens();
      Target first = done.computeIfAbsent(key, k -> translate(t, client, speaks, body));
      out.add(new Target(t.provider(), t.model(), first.translatedBody(), first.notTranslatable()));
    }
    return out == null ? targets : out;
  }

  private static Target translate(Target t, Api client, Api speaks, byte[] body) {
    if (t.model() == null) {
      return new Target(t.provider(), null, null, "model");
    }
    try {
      byte[] translated =
          Translator.between(client, speaks).request(body, t.model(), t.provider().maxTokens());
      return new Target(t.provider(), t.model(), translated, null);
    } catch (Translator.NotTranslatable e) {
      return new Target(t.provider(), t.model(), null, e.field());
    }
  }

  /** What a provider of the other API cannot take, in place of a field: the whole operation. */
  public static final String OTHER_API = "the operation (its API has no such route)";

  /** Whether the client's model goes upstream as it is, so its body needs no rewrite. */
  public boolean keepsModel(String requested) {
    return model == null || model.equals(requested);
  }
}
