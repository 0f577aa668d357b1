package org.ttcspark.cli;

import java.util.List;
import java.util.Optional;

/** Every command of {@code ttc}, in the order {@code ttc --help} lists them. */
final class Commands {
  private Commands() {}

  static List<Command> all() {
    return List.of(
        new PrepareCommand(),
        new PretrainCommand(),
        new TrainCeCommand(),
        new FinetuneCommand(),
        new EmbedCommand(),
        new ExportCommand(),
        new ProbeCommand(),
        new MetricsCommand(),
        new LossCommand(),
        new BenchCommand(),
        new SweepCommand(),
        new ReportCommand(),
        new DemoCommand(),
        new DoctorCommand());
  }

  static Optional<Command> find(String name) {
    return all().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** A command of the specification that this version does not provide yet. */
  private record Unavailable(String name, String summary, List<String> configSections)
      implements Command {
    @Override
    public boolean available() {
      return false;
    }

    @Override
    public int run(Invocation invocation) {
      invocation.err().println("ttc " + name + " is not available in this version of ttc-spark");
      return 2;
    }
  }
}
