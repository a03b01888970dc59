package dev.llmrouter.upstream;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.wire.Api;

/**
 * What one attempt sends to one provider, beyond the request all attempts share.
 *
 * @param model the provider's model ID when it differs from the client's (the body's value is
 *     rewritten), else null
 * @param translatedBody the request in the provider's API when it speaks the other one (built by
 *     {@code wire.Translator}, model included), else null
 */
@SuppressWarnings("ArrayRecordComponent")
public record Outgoing(ProviderConfig provider, String model, byte[] translatedBody) {

  /** The API the provider speaks, for a request in {@code client}'s. */
  Api speaks(Api client) {
    return provider.api() == null ? client : Api.of(provider.api());
  }
}
