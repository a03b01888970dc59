package dev.llmrouter.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Command prefixes that put a child process where a user's start-up fails: without the privilege to
 * bind a low port or to ignore file modes, or with a folder on a read-only file system. Tests run
 * as root in some containers, where neither fails by itself; there the child drops root's
 * capabilities ({@code setpriv}) or gets a private read-only mount ({@code unshare}). A test whose
 * prefix this machine cannot give is skipped, and says why.
 */
final class Unprivileged {
  private Unprivileged() {}

  /**
   * Runs the child as a user bound by file modes and unable to bind ports below 1024: as it is when
   * the tests do not run as root, else through {@code setpriv} dropping the capabilities that
   * exempt root from both.
   */
  static List<String> prefix(Path scratch) throws IOException {
    if (!isRoot(scratch)) {
      return List.of();
    }
    List<String> setpriv =
        List.of("setpriv", "--bounding-set=-net_bind_service,-dac_override,-dac_read_search");
    assumeTrue(
        succeeds(concat(setpriv, List.of("true"))),
        "runs as root and setpriv cannot drop capabilities here");
    return setpriv;
  }

  /** The lowest port an unprivileged process may bind (Linux lets the admin lower it). */
  static int firstUnprivilegedPort() throws IOException {
    Path sysctl = Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    if (!Files.exists(sysctl)) {
      return 1024;
    }
    // Not Files.readString: it trusts the size /proc reports (0) and read "1" of "1024" here.
    try (var in = Files.newInputStream(sysctl)) {
      return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
  }

  /**
   * Runs the child with {@code dir} mounted read-only in a mount namespace of its own (the test's
   * own view of the folder stays writable).
   */
  static List<String> readOnly(Path dir) {
    List<String> prefix =
        List.of(
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" && exec \"$@\"",
            dir.toString());
    assumeTrue(
        succeeds(concat(prefix, List.of("true"))),
        "cannot mount a read-only folder here (needs root and unshare)");
    return prefix;
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static boolean isRoot(Path scratch) throws IOException {
    Object uid = Files.getAttribute(scratch, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    return uid instanceof Integer i && i == 0;
  }

  /** Whether {@code command} runs and exits 0 within 10 s (false when it is not installed). */
  static boolean succeeds(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
