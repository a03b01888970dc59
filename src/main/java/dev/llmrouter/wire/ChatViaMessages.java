package dev.llmrouter.wire;

/** An OpenAI Chat Completions client served by an Anthropic Messages provider. */
final class ChatViaMessages implements Translator {

  static final ChatViaMessages INSTANCE = new ChatViaMessages();

  private ChatViaMessages() {}

  @Override
  public Api client() {
    return Api.OPENAI;
  }

  @Override
  public Api provider() {
    return Api.ANTHROPIC;
  }

  @Override
  public byte[] request(byte[] clientBody, String model, int maxTokens) throws NotTranslatable {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public byte[] response(byte[] providerBody) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public byte[] error(int status, byte[] providerBody) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public StreamTranslator stream() {
    throw new UnsupportedOperationException("not yet");
  }
}
