package dev.llmrouter.cli;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a router or mock could not start, in one line that names the address, port or folder, the
 * cause, and the option that fixes it. The JDK's own messages name none of these ({@code Address
 * already in use}, {@code Permission denied}, or just the path of a folder that is a file).
 *
 * @param host the address to listen on
 * @param port the port to listen on
 * @param logDir the request log folder, or null (the mock has none)
 * @param fixes the options that change each of them, as the command at hand takes them
 */
record StartFailure(String host, int port, Path logDir, Fixes fixes) {

  /**
   * How the user changes each setting: {@code "--port or server.port"} for {@code serve}, {@code
   * "--port"} for {@code demo}; null where there is no way (the demo's host).
   */
  record Fixes(String port, String host, String logDir) {
    static final Fixes SERVE =
        new Fixes("--port or server.port", "--host or server.host", "--log-dir or logging.dir");
  }

  /** Ports below this need root or {@code CAP_NET_BIND_SERVICE} on Linux (and most Unixes). */
  private static final int FIRST_UNPRIVILEGED_PORT = 1024;

  /**
   * What is wrong with the log folder, checked before the port is bound and without creating
   * anything, so that a start that fails leaves no folder and no file behind: empty when it is, or
   * can be made, a folder the router can write in.
   */
  Optional<String> logFolderProblem() {
    if (logDir == null) {
      return Optional.empty();
    }
    Path dir = logDir.toAbsolutePath();
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Optional.empty(); // nothing to check against; opening the log will say
    }
    if (!Files.isDirectory(existing)) {
      return Optional.of(
          logFolder(existing.equals(dir) ? "not a directory" : existing + " is not a directory"));
    }
    // access(2) through the provider: its errno tells a read-only file system (EROFS) from missing
    // permission (EACCES), which Files.isWritable folds into one false.
    String reason;
    try {
      existing
          .getFileSystem()
          .provider()
          .checkAccess(existing, AccessMode.WRITE, AccessMode.EXECUTE);
      return Optional.empty();
    } catch (AccessDeniedException e) {
      reason = "permission denied";
    } catch (FileSystemException e) {
      reason = lowerFirst(e.getReason() == null ? "cannot be written" : e.getReason());
    } catch (IOException e) {
      return Optional.empty(); // cannot tell; opening the log will say
    }
    return Optional.of(
        logFolder(
            existing.equals(dir)
                ? reason
                : reason + " (cannot create a folder in " + existing + ")"));
  }

  /**
   * The line for a failure thrown while starting (binding the port, or opening the log), to follow
   * {@code "cannot start: "}.
   */
  String describe(Throwable e) {
    if (e instanceof FileSystemException fse) {
      return logFolder(fileSystemReason(fse));
    }
    if (e instanceof UnresolvedAddressException) {
      return unresolved();
    }
    if (e instanceof SocketException) {
      return bindFailure(e.getMessage() == null ? "" : e.getMessage());
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private String bindFailure(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("already in use")) {
      return address() + " is already in use" + choose(fixes.port(), "another");
    }
    if (m.contains("permission denied") || m.contains("access denied")) {
      if (port > 0 && port < FIRST_UNPRIVILEGED_PORT) {
        return "cannot listen on "
            + address()
            + ": permission denied (ports below "
            + FIRST_UNPRIVILEGED_PORT
            + " need root or CAP_NET_BIND_SERVICE)"
            + choose(fixes.port(), "a port from " + FIRST_UNPRIVILEGED_PORT + " up");
      }
      return "cannot listen on " + address() + ": permission denied";
    }
    if (m.contains("cannot assign requested address")) {
      return "cannot listen on "
          + address()
          + ": "
          + host
          + " is not an address of this machine"
          + choose(fixes.host(), "127.0.0.1, 0.0.0.0 or one of its addresses");
    }
    if (m.contains("unresolved")) {
      return unresolved();
    }
    return "cannot listen on " + address() + ": " + message;
  }

  private String unresolved() {
    return "cannot listen on "
        + address()
        + ": the host name "
        + host
        + " does not resolve"
        + choose(fixes.host(), "");
  }

  /** {@code "; choose another with --port"}, or nothing when there is no option to name. */
  private static String choose(String option, String what) {
    if (option == null) {
      return "";
    }
    return what.isEmpty() ? "; set another with " + option : "; choose " + what + " with " + option;
  }

  private String logFolder(String reason) {
    return "cannot use the log folder "
        + logDir.toAbsolutePath()
        + ": "
        + reason
        + choose(fixes.logDir(), "another");
  }

  /** The reason in words; the JDK gives the path alone for a folder that is a file. */
  private String fileSystemReason(FileSystemException e) {
    if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String reason = e.getReason();
    if (reason == null || reason.isBlank()) {
      return inWords(e);
    }
    String lower = lowerFirst(reason);
    Path dir = logDir.toAbsolutePath();
    return e.getFile() == null || Path.of(e.getFile()).toAbsolutePath().equals(dir)
        ? lower
        : lower + " (" + e.getFile() + ")";
  }

  /**
   * Why a file could not be read or written, in words: the JDK's own reason when it gives one, else
   * what its exception class says (a {@code NoSuchFileException} carries the path alone).
   */
  static String inWords(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null && !f.getReason().isBlank()) {
      return lowerFirst(f.getReason());
    }
    return switch (e) {
      case java.nio.file.NoSuchFileException n -> "no such file or folder";
      case AccessDeniedException a -> "permission denied";
      case FileAlreadyExistsException a -> "a file of that name is in the way";
      case NotDirectoryException n -> "not a folder";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  String address() {
    return dev.llmrouter.config.ServerSettings.hostForUrl(host) + ":" + port;
  }
}
