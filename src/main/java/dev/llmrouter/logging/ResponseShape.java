package dev.llmrouter.logging;

/** What the router knows of a response body it hands to the log, which decides how it is kept. */
public enum ResponseShape {
  /** Not proven to be JSON: the line checks it (and keeps it as a string if it is not). */
  UNCHECKED,
  /** Proven to be one JSON value (a classified 2xx, or the router's own): copied as it is. */
  JSON,
  /**
   * A proven-JSON embeddings list: copied with each vector replaced by its size. A vector is 6-12
   * KB of base64 or numbers per input that no reader of a log can use, and it made up most of the
   * bytes (and most of the writer's work) of every embeddings line.
   */
  EMBEDDINGS
}
