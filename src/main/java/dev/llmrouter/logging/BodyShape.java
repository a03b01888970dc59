package dev.llmrouter.logging;

/** What the router knows of a body it hands to the log, which decides how the line keeps it. */
public enum BodyShape {
  /** Not proven to be JSON: the line checks it (and keeps it as a string if it is not). */
  UNCHECKED,
  /**
   * Proven to be one JSON value (a request whose fields were read, a classified 2xx answer, or the
   * router's own): copied as it is.
   */
  JSON,
  /**
   * A proven-JSON embeddings answer: copied with each vector replaced by its size ({@link
   * EmbeddingsElision}). A vector is 6-12 KB of base64 or numbers per input that no reader of a log
   * can use, and it made up most of the bytes (and most of the writer's work) of every embeddings
   * line.
   */
  EMBEDDINGS
}
