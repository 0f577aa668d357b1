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
    return "<run-or-sweep-folder>";
  }

  @Override
  public List<String> configSections() {
    return List.of();
  }

  @Override
  public int run(Invocation inv) throws Exception {
    if (inv.positionals().size() != 1) {
      throw new UsageException("ttc report takes one folder: a run folder (runs/<name>) or a "
          + "sweep folder (runs/<sweep name>)");
    }
    Path out = ReportWriter.write(new Path(inv.positionals().get(0)), new Configuration());
    inv.out().println("report: " + out);
    return Main.OK;
  }
}
