package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/systemd/llm-api-router.service: hardened, stops after the drain, and systemd takes it. */
class SystemdUnitTest {

  private static final Path UNIT = Path.of("deploy/systemd/llm-api-router.service");

  @TempDir Path work;

  /** Each key's values in the order given (a key may repeat), comments and sections left out. */
  private static Map<String, List<String>> directives() throws IOException {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (String line : Files.readAllLines(UNIT)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) {
        continue;
      }
      int eq = l.indexOf('=');
      keys.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
    }
    return keys;
  }

  @Test
  void theServiceRunsTheInstalledCommandAsItsOwnUserWithHardening() throws IOException {
    assumeTrue(Files.exists(UNIT), "not run from the project folder");
    Map<String, List<String>> unit = directives();

    assertThat(unit.get("ExecStart"))
        .containsExactly(
            "/usr/local/bin/llm-api-router serve --config /etc/llm-api-router/config.json"
                + " --log-dir /var/log/llm-api-router");
    assertThat(unit.get("User")).containsExactly("llm-api-router");
    assertThat(unit.get("ReadWritePaths")).containsExactly("/var/log/llm-api-router");
    assertThat(unit.get("LoadCredential"))
        .containsExactly("openai:/etc/llm-api-router/credentials/openai");
    for (String on : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp")) {
      assertThat(unit.get(on)).as(on).containsExactly("yes");
    }
    assertThat(unit.get("ProtectSystem")).containsExactly("strict");
    assertThat(unit.get("CapabilityBoundingSet")).containsExactly("");
    // The JIT writes code it then runs: this one would stop the JVM at start.
    assertThat(unit).doesNotContainKey("MemoryDenyWriteExecute");
    assertThat(unit.get("Environment"))
        .containsExactly(
            "LLM_ROUTER_JAVA_OPTS=-XX:ErrorFile=/var/log/llm-api-router/hs_err_%%p.log");
    assertThat(unit.get("Restart")).containsExactly("on-failure");
    assertThat(unit.get("KillSignal")).containsExactly("SIGTERM");
    // Longer than the drain: the default shutdown_grace (10 s) plus the router's own 60 s backstop.
    assertThat(Integer.parseInt(unit.get("TimeoutStopSec").get(0))).isGreaterThan(70);
  }

  @Test
  void systemdAnalyzeVerifyFindsNothingToSay() throws Exception {
    assumeTrue(Files.exists(UNIT), "not run from the project folder");
    assumeTrue(
        Unprivileged.succeeds(List.of("systemd-analyze", "--version")),
        "systemd-analyze is not installed: " + UNIT + " is not verified here");
    // verify wants ExecStart's program to exist: a stand-in where make install would put it.
    Path command = work.resolve("llm-api-router");
    Files.writeString(command, "#!/bin/sh\n");
    command.toFile().setExecutable(true);
    Path unit = work.resolve("llm-api-router.service");
    Files.writeString(
        unit, Files.readString(UNIT).replace("/usr/local/bin/llm-api-router", command.toString()));

    Path out = work.resolve("verify.out");
    Process verify =
        new ProcessBuilder("systemd-analyze", "verify", unit.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze verify ended").isTrue();
    String said = Files.readString(out, StandardCharsets.UTF_8);

    assertThat(verify.exitValue()).as(said).isZero();
    // Unknown keys and bad values are warnings with exit status 0: any line naming the unit.
    assertThat(said).doesNotContain("llm-api-router.service");
  }
}
