package dev.llmrouter.server;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.wire.Api;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What an endpoint's providers declare they serve: for model lists and "not served" answers. */
final class ModelLists {

  /** At most this many names in an error message. */
  static final int MAX_NAMED = 20;

  private ModelLists() {}

  static List<ProviderConfig> providers(RouterConfig config, Api api) {
    return api == Api.OPENAI ? config.openai() : config.anthropic();
  }

  /**
   * The exact names the providers declare (what clients ask for, not upstream IDs), each once, in
   * priority order of first appearance. Patterns are not names.
   */
  static Set<String> declared(List<ProviderConfig> providers) {
    Set<String> names = new LinkedHashSet<>();
    for (ProviderConfig p : providers) {
      names.addAll(p.models().listedNames());
    }
    return names;
  }

  /** Why no provider can take a request for {@code model} (null: the request named none). */
  static String notServedMessage(List<ProviderConfig> providers, String model, Redactor redactor) {
    String served = served(providers);
    if (model == null) {
      return "The request must name a model in 'model': every provider of this endpoint serves"
          + " named models only."
          + served;
    }
    return "The model '"
        + redactor.shown(model)
        + "' is not served by any provider of this endpoint."
        + served;
  }

  /** " It serves: a, b and 3 more." for the names these providers declare; "" when none do. */
  static String served(List<ProviderConfig> providers) {
    Set<String> names = declared(providers);
    if (names.isEmpty()) {
      return "";
    }
    List<String> shown = names.stream().limit(MAX_NAMED).toList();
    return " It serves: "
        + String.join(", ", shown)
        + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "")
        + ".";
  }
}
