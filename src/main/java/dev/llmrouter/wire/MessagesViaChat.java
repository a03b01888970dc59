package dev.llmrouter.wire;

/** An Anthropic Messages client served by an OpenAI Chat Completions provider. */
final class MessagesViaChat implements Translator {

  static final MessagesViaChat INSTANCE = new MessagesViaChat();

  private MessagesViaChat() {}

  @Override
  public Api client() {
    return Api.ANTHROPIC;
  }

  @Override
  public Api provider() {
    return Api.OPENAI;
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
