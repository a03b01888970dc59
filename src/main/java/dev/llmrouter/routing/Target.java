package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One provider that serves a request's model, with the model ID it knows that model by.
 *
 * @param model the upstream model ID to send; null when the request names no model
 */
public record Target(ProviderConfig provider, String model) {

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

  /** Whether the client's model goes upstream as it is, so its body needs no rewrite. */
  public boolean keepsModel(String requested) {
    return model == null || model.equals(requested);
  }
}
