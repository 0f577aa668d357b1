package org.ttcspark.cli;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ttcspark.sweep.report.ReportWriter;

/** {@code ttc report <run-or-sweep-folder>}: a self-contained HTML report; no Spark. */
final class ReportCommand implements Command {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "write a self-contained HTML report of a run or sweep";
  }

  @Override
  public String positionals() {
    return "[RUN_OR_SWEEP_FOLDER]";
  }

  @Override
  public List<String> configSections() {
    return List.of("run");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    Path folder = folder(inv);
    Configuration hadoop = inv.hadoop();
    Path out = ReportWriter.write(folder, hadoop);
    RunTarget.record(inv, name(), folder, hadoop);
    inv.out().println("report: " + out);
    return Main.OK;
  }

  @Override
  public void validate(Invocation inv) {
    folder(inv);
  }

  /** The positional folder, or {@code run.dir/run.name}. */
  private static Path folder(Invocation inv) {
    if (inv.positionals().size() == 1) {
      return new Path(inv.positionals().get(0));
    }
    if (inv.positionals().isEmpty() && !inv.run().name().isBlank()) {
      return new Path(inv.run().dir(), inv.run().name());
    }
    throw new UsageException("ttc report takes one folder: a run folder (runs/<name>) or a "
        + "sweep folder (runs/<sweep name>), or run.name=<run> for run.dir/<run>");
  }
}
