package dev.llmrouter.cli;

import static dev.llmrouter.cli.ConfigFiles.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmrouter.testkit.CliProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code serve} and {@code demo} in their own JVMs, failing to start the ways a first day fails: a
 * port in use or not permitted, a log folder that is a file, not writable or read-only. Each line
 * names the address, port or folder, the cause and the option that fixes it; the process exits 1
 * and leaves no file behind (the log files are created only once the port is bound).
 */
class StartupErrorsTest {

  @TempDir Path work;

  /** A valid config listening on {@code host:port} and logging to {@code logDir}. */
  private Path config(String host, int port, String logDir) throws IOException {
    ObjectNode root = ConfigFiles.root();
    root.set("server", ConfigFiles.root().put("host", host).put("port", port));
    root.set("logging", ConfigFiles.root().put("dir", logDir));
    root.putArray("openai").add(provider("unused", "http://127.0.0.1:9/v1", 1));
    return ConfigFiles.write(work.resolve("config.json"), root);
  }

  private CliProcess failsLeavingNothing(List<String> prefix, String... args) throws IOException {
    return FailedStart.run(work, prefix, Map.of(), args);
  }

  @Test
  void aPortInUseNamesTheAddressAndHowToChooseAnother() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config = config("127.0.0.1", taken.getLocalPort(), "logs");

      CliProcess serve = failsLeavingNothing(List.of(), "serve", "--config", "" + config);

      assertThat(serve.stderr())
          .contains(
              "cannot start: 127.0.0.1:"
                  + taken.getLocalPort()
                  + " is already in use; choose another with --port or server.port");
    }
  }

  @Test
  void thePortFlagIsNamedByTheAddressItTook() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config = config("127.0.0.1", 0, "logs");

      CliProcess serve =
          failsLeavingNothing(
              List.of(), "serve", "--config", "" + config, "--port", "" + taken.getLocalPort());

      assertThat(serve.stderr())
          .contains("127.0.0.1:" + taken.getLocalPort() + " is already in use");
    }
  }

  @Test
  void aPortBelow1024WithoutThePrivilegeSaysWhatItNeeds() throws IOException {
    int port = 80;
    assumeTrue(
        port < Unprivileged.firstUnprivilegedPort(),
        "this machine lets any user bind port " + port);
    Path config = config("127.0.0.1", port, "logs");

    CliProcess serve =
        failsLeavingNothing(Unprivileged.prefix(work), "serve", "--config", "" + config);

    assertThat(serve.stderr())
        .contains(
            "cannot listen on 127.0.0.1:80: permission denied (ports below 1024 need root or"
                + " CAP_NET_BIND_SERVICE); choose a port from 1024 up with --port or server.port");
  }

  @Test
  void aLogFolderThatIsAFileSaysNotADirectory() throws IOException {
    Files.writeString(work.resolve("logs"), "not a folder");
    Path config = config("127.0.0.1", 0, "logs");

    CliProcess serve = failsLeavingNothing(List.of(), "serve", "--config", "" + config);

    assertThat(serve.stderr())
        .contains(
            "cannot start: cannot use the log folder "
                + work.resolve("logs")
                + ": not a directory; choose another with --log-dir or logging.dir");
    assertThat(work.resolve("logs")).hasContent("not a folder");
  }

  @Test
  void aLogFolderWithoutWritePermissionSaysPermissionDenied() throws IOException {
    List<String> prefix = Unprivileged.prefix(work);
    Path locked = Files.createDirectory(work.resolve("locked"));
    Path lockedLogs = Files.createDirectory(work.resolve("locked-logs"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(lockedLogs, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Path config = config("127.0.0.1", 0, "locked/logs");
      CliProcess below = failsLeavingNothing(prefix, "serve", "--config", "" + config);
      assertThat(below.stderr())
          .contains(
              "cannot use the log folder "
                  + work.resolve("locked/logs")
                  + ": permission denied (cannot create a folder in "
                  + locked
                  + "); choose another with --log-dir or logging.dir");

      CliProcess in =
          failsLeavingNothing(
              prefix, "serve", "--config", "" + config, "--log-dir", "" + lockedLogs);
      assertThat(in.stderr())
          .contains(
              "cannot use the log folder "
                  + lockedLogs
                  + ": permission denied; choose another with --log-dir or logging.dir");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(lockedLogs, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aLogFolderOnAReadOnlyFileSystemSaysSo() throws IOException {
    Path mounted = Files.createDirectory(work.resolve("mounted"));
    Files.createDirectory(mounted.resolve("logs"));
    Path config = config("127.0.0.1", 0, "mounted/logs");

    CliProcess serve =
        failsLeavingNothing(Unprivileged.readOnly(mounted), "serve", "--config", "" + config);

    assertThat(serve.stderr())
        .contains(
            "cannot use the log folder "
                + mounted.resolve("logs")
                + ": read-only file system; choose another with --log-dir or logging.dir");
  }

  @Test
  void theDemoOnAPortInUseNamesItsOwnOption() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliProcess demo =
          failsLeavingNothing(
              List.of(),
              "demo",
              "--port",
              "" + taken.getLocalPort(),
              "--log-dir",
              "" + work.resolve("demo-logs"));

      assertThat(demo.stderr())
          .contains(
              "cannot start the demo: 127.0.0.1:"
                  + taken.getLocalPort()
                  + " is already in use; choose another with --port (make demo PORT=N)");
    }
  }

  @Test
  void theMockOnAPortInUseSaysSoToo() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliProcess mock = failsLeavingNothing(List.of(), "mock", "--port", "" + taken.getLocalPort());

      assertThat(mock.stderr())
          .contains(
              "cannot start the mock: 127.0.0.1:"
                  + taken.getLocalPort()
                  + " is already in use; choose another with --port");
    }
  }
}
