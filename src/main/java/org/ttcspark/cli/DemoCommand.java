package org.ttcspark.cli;

import java.util.List;

/**
 * {@code ttc demo}: the main job on its embedded default. A synthetic binary dataset whose
 * classes each hold four visual sub-types, at 1 % and 5 % minority; SupCon, SupMin and SupProto
 * trained briefly; probe, representation metrics and the HTML report. The settings are the
 * sweep in {@code ttc/demo.conf} inside the jar; {@code -c} files and {@code key=value} change
 * them like any other settings.
 */
final class DemoCommand implements Command {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "synthetic end-to-end demonstration of the paper's effect (writes a report)";
  }

  @Override
  public String presetResource() {
    return "ttc/demo.conf";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.toggle("dry-run", "print the plan only"));
  }

  @Override
  public List<String> configSections() {
    return List.of("sweep", "run");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    inv.out().println("ttc demo: SupCon vs SupMin vs SupProto on synthetic data with 1 % and 5 %"
        + " minority; embedded settings in ttc/demo.conf (see ttc demo --help)");
    return SweepCommand.runSweep(inv, inv.config());
  }
}
