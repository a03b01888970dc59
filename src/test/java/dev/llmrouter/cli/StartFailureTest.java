package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up failure lines, from the exceptions the JDK throws; over processes:
 * StartupErrorsTest.
 */
class StartFailureTest {

  @TempDir Path dir;

  private StartFailure serve(String host, int port) {
    return new StartFailure(host, port, dir.resolve("logs"), StartFailure.Fixes.SERVE);
  }

  @Test
  void aPortInUseNamesTheAddressAndTheOptions() {
    assertThat(serve("127.0.0.1", 8000).describe(new BindException("Address already in use")))
        .isEqualTo("127.0.0.1:8000 is already in use; choose another with --port or server.port");
    assertThat(serve("::1", 8000).describe(new BindException("Address already in use")))
        .startsWith("[::1]:8000 is already in use");
  }

  @Test
  void aPrivilegedPortSaysWhatItNeeds() {
    assertThat(serve("0.0.0.0", 80).describe(new BindException("Permission denied")))
        .isEqualTo(
            "cannot listen on 0.0.0.0:80: permission denied (ports below 1024 need root or"
                + " CAP_NET_BIND_SERVICE); choose a port from 1024 up with --port or server.port");
    assertThat(serve("0.0.0.0", 8080).describe(new BindException("Permission denied")))
        .isEqualTo("cannot listen on 0.0.0.0:8080: permission denied");
  }

  @Test
  void anAddressOfAnotherMachineOrAnUnknownNameNamesTheHostOption() {
    assertThat(
            serve("10.1.2.3", 8000).describe(new BindException("Cannot assign requested address")))
        .isEqualTo(
            "cannot listen on 10.1.2.3:8000: 10.1.2.3 is not an address of this machine; choose"
                + " 127.0.0.1, 0.0.0.0 or one of its addresses with --host or server.host");
    assertThat(serve("nowhere.invalid", 8000).describe(new SocketException("Unresolved address")))
        .isEqualTo(
            "cannot listen on nowhere.invalid:8000: the host name nowhere.invalid does not"
                + " resolve; set another with --host or server.host");
    assertThat(serve("nowhere.invalid", 8000).describe(new UnresolvedAddressException()))
        .contains("does not resolve");
  }

  @Test
  void theDemoNamesOnlyItsOwnOptions() {
    StartFailure demo =
        new StartFailure(
            "127.0.0.1",
            8000,
            dir,
            new StartFailure.Fixes("--port (make demo PORT=N)", null, "--log-dir"));
    assertThat(demo.describe(new BindException("Address already in use")))
        .isEqualTo(
            "127.0.0.1:8000 is already in use; choose another with --port (make demo PORT=N)");
  }

  @Test
  void aLogFolderFailureNamesThePathAndTheReason() {
    StartFailure s = serve("127.0.0.1", 8000);
    String logs = dir.resolve("logs").toString();

    assertThat(s.describe(new FileAlreadyExistsException(logs)))
        .isEqualTo(
            "cannot use the log folder "
                + logs
                + ": not a directory; choose another with --log-dir or logging.dir");
    assertThat(s.describe(new AccessDeniedException(logs + "/router_x.jsonl")))
        .isEqualTo(
            "cannot use the log folder "
                + logs
                + ": permission denied; choose another with --log-dir or logging.dir");
    assertThat(s.describe(new FileSystemException(logs, null, "Read-only file system")))
        .isEqualTo(
            "cannot use the log folder "
                + logs
                + ": read-only file system; choose another with --log-dir or logging.dir");
    assertThat(s.describe(new FileSystemException(logs + "/x", null, "No space left on device")))
        .startsWith(
            "cannot use the log folder " + logs + ": no space left on device (" + logs + "/x)");
  }

  @Test
  void anythingElseKeepsItsMessage() {
    assertThat(serve("127.0.0.1", 8000).describe(new IOException("odd"))).isEqualTo("odd");
    assertThat(serve("127.0.0.1", 8000).describe(new IllegalStateException()))
        .isEqualTo("IllegalStateException");
  }

  @Test
  void theLogFolderIsCheckedWithoutCreatingIt() throws IOException {
    assertThat(serve("127.0.0.1", 0).logFolderProblem()).isEmpty();
    assertThat(dir.resolve("logs")).doesNotExist();

    Files.writeString(dir.resolve("logs"), "a file");
    assertThat(serve("127.0.0.1", 0).logFolderProblem())
        .hasValue(
            "cannot use the log folder "
                + dir.resolve("logs")
                + ": not a directory; choose another with --log-dir or logging.dir");

    StartFailure below =
        new StartFailure("127.0.0.1", 0, dir.resolve("logs/2026/router"), StartFailure.Fixes.SERVE);
    assertThat(below.logFolderProblem())
        .hasValue(
            "cannot use the log folder "
                + dir.resolve("logs/2026/router")
                + ": "
                + dir.resolve("logs")
                + " is not a directory; choose another with --log-dir or logging.dir");
    assertThat(dir.resolve("logs")).hasContent("a file");
  }

  @Test
  void aRelativeLogFolderIsShownAbsolute() {
    StartFailure s = new StartFailure("127.0.0.1", 0, Path.of("logs"), StartFailure.Fixes.SERVE);
    assertThat(s.describe(new FileAlreadyExistsException("logs")))
        .startsWith("cannot use the log folder " + Path.of("logs").toAbsolutePath() + ": ");
  }
}
