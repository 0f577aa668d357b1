package org.ttcspark.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster for integration tests: one master and N workers as separate
 * JVMs on loopback, started and stopped with {@code submit/ttc-cluster} (the script users run),
 * in a folder of its own with a free port. {@link #close()} stops exactly those processes.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Path ROOT = Path.of("").toAbsolutePath();

  private final Path dir;
  private final String masterUrl;

  private StandaloneCluster(Path dir, String masterUrl) {
    this.dir = dir;
    this.masterUrl = masterUrl;
  }

  /** Starts a master and {@code workers} workers with {@code cores} and {@code memory} each. */
  public static StandaloneCluster start(Path dir, int workers, int cores, String memory)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Launcher.Result r = Launcher.run(List.of("submit/ttc-cluster", "start", "--workers",
        Integer.toString(workers), "--cores", Integer.toString(cores), "--memory", memory,
        "--port", Integer.toString(port), "--dir", dir.toString()), 180);
    if (r.code() != 0) {
      throw new IllegalStateException("cluster did not start: " + r.output());
    }
    return new StandaloneCluster(dir, "spark://127.0.0.1:" + port);
  }

  public String masterUrl() {
    return masterUrl;
  }

  public Path dir() {
    return dir;
  }

  /** The pids of the master and workers started for this cluster. */
  public List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    Path pidDir = dir.resolve("pids");
    if (Files.isDirectory(pidDir)) {
      try (var files = Files.list(pidDir)) {
        for (Path f : files.toList()) {
          pids.add(Long.parseLong(Files.readString(f, StandardCharsets.UTF_8).trim()));
        }
      }
    }
    return pids;
  }

  /**
   * Kills worker {@code index} (1-based) and the executors it launched, hard (SIGKILL, by pid),
   * as a machine failure would, and waits until they are gone.
   *
   * @return the pids killed, the worker's first
   */
  public List<Long> killWorker(int index) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve("pids/worker-" + index + ".pid")).trim());
    ProcessHandle worker = ProcessHandle.of(pid).orElseThrow(
        () -> new IllegalStateException("worker " + index + " (pid " + pid + ") is not running"));
    List<ProcessHandle> victims = new ArrayList<>();
    victims.add(worker);
    victims.addAll(worker.descendants().toList());
    victims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : victims) {
      h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
    return victims.stream().map(ProcessHandle::pid).toList();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    List<Long> started = pids();
    Launcher.run(List.of("submit/ttc-cluster", "stop", "--dir", dir.toString()), 60);
    for (long pid : started) {
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }
  }

  /** Runs the project's launchers as child processes from the checkout's root. */
  public static final class Launcher {
    private Launcher() {}

    /** Exit code and combined output of one launcher run. */
    public record Result(int code, String output) {}

    /**
     * {@code submit/ttc command} on the cluster at {@code master} (the cluster preset, 1 GB
     * executors), or locally when it is null, with its run and work folders under {@code dir},
     * then {@code settings}.
     */
    public static List<String> ttc(String command, String master, Path dir,
        List<String> settings) {
      List<String> args = new ArrayList<>(List.of("submit/ttc", command));
      if (master != null) {
        args.addAll(List.of("-c", "conf/cluster-standalone.conf", "--master", master,
            "spark.executor-memory=1g"));
      }
      args.add("run.dir=" + dir.resolve("runs"));
      args.add("run.work-dir=" + dir.resolve("work"));
      args.addAll(settings);
      return args;
    }

    /**
     * Starts {@code command} (first word relative to the checkout) in the background with its
     * combined output in {@code log}; the caller waits for it or kills it.
     */
    public static Process start(List<String> command, Path log) throws IOException {
      List<String> cmd = new ArrayList<>(command);
      cmd.set(0, ROOT.resolve(cmd.get(0)).toString());
      return new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    }

    /** Runs {@code command} (first word relative to the checkout), bounded by the timeout. */
    public static Result run(List<String> command, long timeoutSeconds)
        throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(command);
      cmd.set(0, ROOT.resolve(cmd.get(0)).toString());
      Path log = Files.createTempFile("ttc-launcher", ".log");
      Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within "
            + timeoutSeconds + " s; output:\n" + Files.readString(log));
      }
      String out = Files.readString(log);
      Files.deleteIfExists(log);
      return new Result(p.exitValue(), out);
    }
  }
}
