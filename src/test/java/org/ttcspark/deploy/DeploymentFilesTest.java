package org.ttcspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The docker/ and submit/ files cannot be run here (no Docker engine, no YARN, no Kubernetes),
 * so this checks what can be checked without them: every file the Dockerfile copies exists in
 * the checkout or is an output the build declares, the compose file uses that image and the
 * entry point's roles, and every launcher is valid bash.
 */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();

  /** Each image and the compose file that runs it: the CPU cluster and the GPU one. */
  static Stream<Arguments> images() {
    return Stream.of(Arguments.of("docker/Dockerfile", "docker/docker-compose.yml"),
        Arguments.of("docker/Dockerfile.gpu", "docker/docker-compose.gpu.yml"));
  }

  @ParameterizedTest
  @MethodSource("images")
  void everyDockerfileCopySourceExistsOrIsABuildOutput(String dockerfile, String ignored)
      throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    List<String> buildOutputs = new ArrayList<>();
    if (pom.contains("<finalName>ttc-spark</finalName>")) {
      buildOutputs.add("target/ttc-spark.jar");
    }
    if (pom.contains("<outputDirectory>${project.build.directory}/dist/jars</outputDirectory>")) {
      buildOutputs.add("target/dist/jars");
    }
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)").matcher(
        Files.readString(ROOT.resolve(dockerfile)));
    int copies = 0;
    while (copy.find()) {
      copies++;
      String source = copy.group(1);
      assertTrue(Files.exists(ROOT.resolve(source)) || buildOutputs.contains(source),
          dockerfile + " copies " + source + ", which neither exists nor is built by pom.xml");
    }
    assertEquals(4, copies, "jars, application, conf, entry point");
  }

  @ParameterizedTest
  @MethodSource("images")
  void composeRunsTheImageWithTheEntryPointRoles(String dockerfileName, String composeName)
      throws IOException {
    String compose = Files.readString(ROOT.resolve(composeName));
    String dockerfile = Files.readString(ROOT.resolve(dockerfileName));
    Matcher tag = Pattern.compile("-t (ttc-spark[\\w-]*:\\S+)").matcher(dockerfile);
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
  void theGpuComposeGivesEveryWorkerAGpuOfItsOwnThatTheRunsCheckCanSee() throws IOException {
    String compose = Files.readString(ROOT.resolve("docker/docker-compose.gpu.yml"));
    Matcher worker = Pattern.compile("NVIDIA_VISIBLE_DEVICES: \"(\\d+)\"}[^}]*device_ids: "
        + "\\[\"(\\d+)\"]").matcher(compose);
    java.util.Set<String> gpus = new java.util.HashSet<>();
    while (worker.find()) {
      assertEquals(worker.group(1), worker.group(2), "a worker's GPU is named the same twice");
      assertTrue(gpus.add(worker.group(1)), "GPU " + worker.group(1) + " given twice");
    }
    assertEquals(2, gpus.size(), compose);
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

  /** Runs the image's entry point with the command printed instead of run. */
  private static List<String> entrypointCommand(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash",
        ROOT.resolve("docker/entrypoint.sh").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("TTC_"));
    pb.environment().putAll(Map.of("TTC_ENTRYPOINT_PRINT", "1", "TTC_HOME", "/opt/ttc",
        "SPARK_HOME", "/opt/ttc/dist"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (code != 0) {
      return List.of("exit " + code, err.strip());
    }
    return List.of(out.split("\n"));
  }

  @Test
  void issue17_kubernetesExecutorPodRunsSparksExecutorBackendFromItsEnvironment()
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(Map.of(
        "SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@10.0.0.1:7078",
        "SPARK_EXECUTOR_ID", "3", "SPARK_EXECUTOR_CORES", "4",
        "SPARK_APPLICATION_ID", "spark-abc", "SPARK_EXECUTOR_POD_IP", "10.0.0.9",
        "SPARK_EXECUTOR_MEMORY", "8g"));
    env.putAll(Map.of("SPARK_JAVA_OPT_10", "-Dthird=10", "SPARK_JAVA_OPT_1", "-Dsecond=1",
        "SPARK_JAVA_OPT_0", "-Dfirst=0"));
    List<String> cmd = entrypointCommand(env, "executor");
    assertEquals("java", cmd.get(0), String.join(" ", cmd));
    assertEquals(List.of("-Dfirst=0", "-Dsecond=1", "-Dthird=10"), cmd.subList(1, 4),
        "Spark's JVM options in their numbered order");
    assertTrue(cmd.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), cmd.toString());
    assertTrue(cmd.contains("-Xmx8g") && cmd.contains("-Xms8g"), cmd.toString());
    assertEquals("/opt/ttc/dist/jars/*", cmd.get(cmd.indexOf("-cp") + 1));
    int main = cmd.indexOf("org.apache.spark.executor.CoarseGrainedExecutorBackend");
    assertTrue(main > 0, cmd.toString());
    assertEquals(List.of("--driver-url", "spark://CoarseGrainedScheduler@10.0.0.1:7078",
        "--executor-id", "3", "--cores", "4", "--app-id", "spark-abc", "--hostname", "10.0.0.9"),
        cmd.subList(main + 1, cmd.size()));

    env.remove("SPARK_DRIVER_URL");
    List<String> missing = entrypointCommand(env, "executor");
    assertEquals("exit 2", missing.get(0));
    assertTrue(missing.get(1).contains("SPARK_DRIVER_URL is not set"), missing.get(1));
  }

  /** The demo's driver heap is 2g (under 3 GB resident), every other command's 3g. */
  @Test
  void submitRoleSizesTheDriverHeapForTheDemo() throws IOException, InterruptedException {
    assertTrue(entrypointCommand(Map.of(), "submit", "demo").contains("-Xmx2g"));
    assertTrue(entrypointCommand(Map.of(), "submit", "pretrain").contains("-Xmx3g"));
    assertTrue(entrypointCommand(Map.of("TTC_DRIVER_MEMORY", "5g"), "submit", "demo")
        .contains("-Xmx5g"));
  }

  @Test
  void issue17_kubernetesDriverPodRunsSparkSubmitInClientModeOnThePodAddress()
      throws IOException, InterruptedException {
    List<String> cmd = entrypointCommand(Map.of("SPARK_DRIVER_BIND_ADDRESS", "10.0.0.2"),
        "driver", "--properties-file", "/opt/spark/conf/spark.properties", "--class",
        "org.ttcspark.cli.Main", "spark-internal", "doctor");
    int submit = cmd.indexOf("org.apache.spark.deploy.SparkSubmit");
    assertTrue(submit > 0, cmd.toString());
    assertTrue(cmd.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), cmd.toString());
    assertEquals(List.of("--conf", "spark.driver.bindAddress=10.0.0.2", "--deploy-mode",
        "client", "--properties-file", "/opt/spark/conf/spark.properties", "--class",
        "org.ttcspark.cli.Main", "spark-internal", "doctor"),
        cmd.subList(submit + 1, cmd.size()));
  }

  @Test
  void issue17_launchersLeaveTheExecutorLayoutToSparkPropertiesSoUserSettingsWin()
      throws IOException {
    for (String launcher : List.of("submit/ttc-yarn", "submit/ttc-k8s")) {
      String text = Files.readString(ROOT.resolve(launcher));
      assertFalse(text.contains("spark.executors=\""), launcher
          + " appends spark.executors after the user's settings, which then lose");
    }
  }
}
