package org.ttcspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The docker/ and submit/ files cannot be run here (no Docker engine, no YARN, no Kubernetes),
 * so this checks what can be checked without them: every file the Dockerfile copies exists in
 * the checkout or is an output the build declares, the compose file uses that image and the
 * entry point's roles, and every launcher is valid bash.
 */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void everyDockerfileCopySourceExistsOrIsABuildOutput() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    List<String> buildOutputs = new ArrayList<>();
    if (pom.contains("<finalName>ttc-spark</finalName>")) {
      buildOutputs.add("target/ttc-spark.jar");
    }
    if (pom.contains("<outputDirectory>${project.build.directory}/dist/jars</outputDirectory>")) {
      buildOutputs.add("target/dist/jars");
    }
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)").matcher(
        Files.readString(ROOT.resolve("docker/Dockerfile")));
    int copies = 0;
    while (copy.find()) {
      copies++;
      String source = copy.group(1);
      assertTrue(Files.exists(ROOT.resolve(source)) || buildOutputs.contains(source),
          "Dockerfile copies " + source + ", which neither exists nor is built by pom.xml");
    }
    assertEquals(4, copies, "jars, application, conf, entry point");
  }

  @Test
  void composeRunsTheImageWithTheEntryPointRoles() throws IOException {
    String compose = Files.readString(ROOT.resolve("docker/docker-compose.yml"));
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    Matcher tag = Pattern.compile("-t (ttc-spark:\\S+)").matcher(dockerfile);
    assertTrue(tag.find(), "the Dockerfile documents its tag");
    String entry = Files.readString(ROOT.resolve("docker/entrypoint.sh"));
    for (String role : List.of("master", "worker", "submit")) {
      assertTrue(entry.contains("  " + role + ")"), "entry point handles " + role);
      assertTrue(compose.contains("[\"" + role), "compose uses role " + role);
    }
    Matcher images = Pattern.compile("image: (\\S+)").matcher(compose);
    while (images.find()) {
      assertEquals(tag.group(1), images.group(1));
    }
    Matcher confs = Pattern.compile("/opt/ttc/(conf/[\\w.-]+)").matcher(compose + entry);
    while (confs.find()) {
      assertTrue(Files.exists(ROOT.resolve(confs.group(1))), confs.group(1) + " exists");
    }
  }

  @Test
  void everyLauncherIsValidBash() throws IOException, InterruptedException {
    List<Path> scripts = new ArrayList<>(List.of(ROOT.resolve("docker/entrypoint.sh"),
        ROOT.resolve(".ci/run")));
    try (var files = Files.list(ROOT.resolve("submit"))) {
      files.filter(f -> !f.toString().endsWith(".example")).forEach(scripts::add);
    }
    assertFalse(scripts.isEmpty());
    for (Path script : scripts) {
      assertTrue(Files.isExecutable(script), script + " is executable");
      Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), script + ": " + out);
    }
  }

  @Test
  void clusterScriptRejectsAnUnknownActionWithUsage() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", ROOT.resolve("submit/ttc-cluster").toString(),
        "restart").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.waitFor());
    assertTrue(out.contains("usage: submit/ttc-cluster start|status|stop"), out);
  }
}
