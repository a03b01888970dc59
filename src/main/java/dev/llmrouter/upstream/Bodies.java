package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading a whole body from a stream within the size limit and the memory budget. */
final class Bodies {

  private static final int STEP = 64 * 1024;

  private Bodies() {}

  /**
   * The rest of {@code in}, reserved in {@code memory} a step at a time as it grows.
   *
   * @throws CappedBody.TooLarge past {@code limit}
   * @throws CappedBody.OverBudget when the budget has no room; what was reserved is given back
   */
  static byte[] readCapped(InputStream in, long limit, MemoryBudget.Ledger memory)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[8192];
    long reserved = 0;
    boolean done = false;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + (long) n > limit) {
          throw new CappedBody.TooLarge(limit);
        }
        if (out.size() + n > reserved) {
          if (!memory.reserve(STEP)) {
            throw new CappedBody.OverBudget();
          }
          reserved += STEP;
        }
        out.write(buffer, 0, n);
      }
      byte[] body = out.toByteArray();
      memory.release(reserved - body.length); // keep what the body really holds
      done = true;
      return body;
    } finally {
      if (!done) {
        memory.release(reserved);
      }
    }
  }
}
