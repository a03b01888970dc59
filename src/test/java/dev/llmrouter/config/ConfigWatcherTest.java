package dev.llmrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes to the config file that no event of its folder names: they are noticed by the file's
 * stamp (what it resolves to, its size and time).
 */
class ConfigWatcherTest {

  private static final Map<String, String> ENV = Map.of();

  @TempDir Path dir;

  private final BlockingQueue<RouterConfig> reloaded = new LinkedBlockingQueue<>();
  private final BlockingQueue<List<String>> rejected = new LinkedBlockingQueue<>();

  private static String config(String providerName) {
    return """
        {"openai": [{"name": "%s", "api_key": "sk-watch-test-0001",
                     "base_url": "http://127.0.0.1:9/v1"}]}
        """
        .formatted(providerName);
  }

  private ConfigWatcher watcher;

  private void watch(Path file) throws IOException {
    watcher = ConfigWatcher.start(file, ENV, reloaded::add, rejected::add);
  }

  @AfterEach
  void stopWatching() {
    if (watcher != null) {
      watcher.close();
    }
  }

  /** The next version handed on; the watcher checks at least once a second, so 10 s is ample. */
  private String nextProvider() throws InterruptedException {
    RouterConfig config = reloaded.poll(10, TimeUnit.SECONDS);
    assertThat(config).as("a reload within 10 s").isNotNull();
    assertThat(rejected).isEmpty();
    return config.openai().get(0).name();
  }

  /**
   * Kubernetes updates a ConfigMap volume by writing a new timestamped folder and renaming a {@code
   * ..data_tmp} symlink over {@code ..data}; the file's own entry, a symlink into {@code ..data},
   * never changes.
   */
  @Test
  void aConfigMapStyleSymlinkSwapIsReloaded() throws Exception {
    Files.createDirectory(dir.resolve("..2026_12_06_v1"));
    Files.writeString(dir.resolve("..2026_12_06_v1/config.json"), config("first"));
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_12_06_v1"));
    Path file = dir.resolve("config.json");
    Files.createSymbolicLink(file, Path.of("..data/config.json"));
    watch(file);
    Files.createDirectory(dir.resolve("..2026_12_06_v2"));
    Files.writeString(dir.resolve("..2026_12_06_v2/config.json"), config("second"));
    Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2026_12_06_v2"));
    Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    assertThat(nextProvider()).isEqualTo("second");
  }

  /**
   * {@code lnk/../router.json} is, for the system, {@code router.json} beside the link's target:
   * not the file a textual {@code ..} would name beside the link.
   */
  @Test
  void aPathThroughALinkAndDotDotIsTheFileTheSystemReads() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real/sub"));
    Files.writeString(dir.resolve("real/router.json"), config("first"));
    Files.createSymbolicLink(dir.resolve("lnk"), real);
    watch(dir.resolve("lnk/../router.json"));

    Files.writeString(dir.resolve("router.json"), config("decoy")); // where ".." reads as text
    Files.writeString(dir.resolve("real/router.json"), config("second"));

    assertThat(nextProvider()).isEqualTo("second");
  }

  /** A deploy swaps the folder the config is read through: {@code current -> releases/v2}. */
  @Test
  void aSwappedFolderLinkIsFollowedToItsNewConfig() throws Exception {
    Files.createDirectories(dir.resolve("releases/v1"));
    Files.createDirectories(dir.resolve("releases/v2"));
    Files.writeString(dir.resolve("releases/v1/config.json"), config("first"));
    Files.writeString(dir.resolve("releases/v2/config.json"), config("second"));
    Files.createSymbolicLink(dir.resolve("current"), Path.of("releases/v1"));
    watch(dir.resolve("current/config.json"));

    Files.createSymbolicLink(dir.resolve("current_tmp"), Path.of("releases/v2"));
    Files.move(dir.resolve("current_tmp"), dir.resolve("current"), StandardCopyOption.ATOMIC_MOVE);

    assertThat(nextProvider()).isEqualTo("second");
  }

  /** A writer that truncates, then takes its time: longer than the watcher waits for quiet. */
  private static void slowly() {
    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(400));
  }

  @Test
  void aFileTruncatedOrDeletedBeforeItsNewTextIsNoRejectedVersion() throws Exception {
    Path file = dir.resolve("router.json");
    Files.writeString(file, config("first"));
    watch(file);

    Files.writeString(file, ""); // "jq ... > router.json" opens it empty, then writes
    slowly();
    Files.writeString(file, config("second"));
    assertThat(nextProvider()).isEqualTo("second"); // and nothing rejected before it

    Files.delete(file);
    slowly();
    Files.writeString(file, config("third"));
    assertThat(nextProvider()).isEqualTo("third");
  }

  @Test
  void aFileLeftEmptyIsRefusedOnceItStaysSo() throws Exception {
    Path file = dir.resolve("router.json");
    Files.writeString(file, config("first"));
    watch(file);

    Files.writeString(file, "");

    List<String> problems = rejected.poll(15, TimeUnit.SECONDS);
    assertThat(problems).as("refused within 15 s").isNotNull();
    assertThat(String.join(" ", problems)).contains("empty");
    assertThat(reloaded).isEmpty();
  }

  /** The events of the target's folder never reach the link's folder's watch. */
  @Test
  void aFileBehindASymlinkIntoAnotherFolderIsReloadedWhenEditedThere() throws Exception {
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path target = elsewhere.resolve("router.json");
    Files.writeString(target, config("first"));
    Path linkFolder = Files.createDirectory(dir.resolve("etc"));
    Path file = Files.createSymbolicLink(linkFolder.resolve("config.json"), target);
    watch(file);
    Files.writeString(target, config("second-version")); // in place, a new size

    assertThat(nextProvider()).isEqualTo("second-version");
  }

  /**
   * {@code touch} on a file no event reports (the target of a symlink from another folder): the
   * same size, only a new time.
   */
  @Test
  void aNewModificationTimeAloneMakesAReload() throws Exception {
    Path target = Files.createDirectory(dir.resolve("elsewhere")).resolve("router.json");
    Files.writeString(target, config("same"));
    Path file =
        Files.createSymbolicLink(
            Files.createDirectory(dir.resolve("etc")).resolve("config.json"), target);
    FileTime before = Files.getLastModifiedTime(target);
    watch(file);
    Files.setLastModifiedTime(target, FileTime.fromMillis(before.toMillis() + 60_000));

    assertThat(nextProvider()).isEqualTo("same");
  }

  /** Where the folder cannot be watched (no inotify instance left), the stamps alone still work. */
  @Test
  void withoutAWatchOfTheFolderAnEditIsStillReadWithinSeconds() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config("first"));
    watcher = ConfigWatcher.startComparingStampsOnly(file, ENV, reloaded::add, rejected::add);
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, config("second"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);

    assertThat(nextProvider()).isEqualTo("second");
  }

  /**
   * A key read with <code>${file:...}</code> from a Kubernetes Secret volume (a symlink swap, as
   * above): the config itself never changes, and the new key is read all the same.
   */
  @Test
  void aRotatedSecretFileIsReadWithoutTouchingTheConfig() throws Exception {
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Files.createDirectory(secrets.resolve("..v1"));
    Files.writeString(secrets.resolve("..v1/openai"), "sk-watch-old-key-0001\n");
    Files.createSymbolicLink(secrets.resolve("..data"), Path.of("..v1"));
    Files.createSymbolicLink(secrets.resolve("openai"), Path.of("..data/openai"));
    Path file = dir.resolve("config.json");
    Files.writeString(
        file,
        """
        {"openai": [{"name": "p", "api_key": "${file:%s}", "base_url": "http://127.0.0.1:9/v1"}]}
        """
            .formatted(secrets.resolve("openai")));
    watch(file);
    Files.createDirectory(secrets.resolve("..v2"));
    Files.writeString(secrets.resolve("..v2/openai"), "sk-watch-new-key-0002\n");
    Files.createSymbolicLink(secrets.resolve("..data_tmp"), Path.of("..v2"));
    Files.move(
        secrets.resolve("..data_tmp"), secrets.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    RouterConfig config = reloaded.poll(10, TimeUnit.SECONDS);
    assertThat(config).as("a reload within 10 s").isNotNull();
    assertThat(config.openai().get(0).apiKey()).isEqualTo("sk-watch-new-key-0002");
  }

  /** Other files of the folder change all the time (the request log); only the config counts. */
  @Test
  void writesToOtherFilesOfTheFolderReloadNothingAndDelayNothing() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, config("first"));
    Path log = dir.resolve("requests.jsonl");
    watch(file);
    for (int i = 0; i < 50; i++) {
      Files.writeString(
          log, "{\"line\": " + i + "}\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    // An event reaches the watcher at once and a reload follows 150 ms of quiet: none comes.
    assertThat(reloaded.poll(600, TimeUnit.MILLISECONDS)).isNull();

    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, config("second"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    long edited = System.nanoTime();

    assertThat(nextProvider()).isEqualTo("second");
    assertThat(Duration.ofNanos(System.nanoTime() - edited)).isLessThan(Duration.ofSeconds(2));
  }
}
