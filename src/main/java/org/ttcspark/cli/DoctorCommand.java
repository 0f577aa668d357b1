package org.ttcspark.cli;

import java.util.List;
import org.ttcspark.platform.Doctor;
import org.ttcspark.platform.Doctor.Check;

/** {@code ttc doctor}: checks Java, the native libraries, Spark, BigDL and Parquet. */
final class DoctorCommand implements Command {
  @Override
  public String name() {
    return "doctor";
  }

  @Override
  public String summary() {
    return "check Java, Spark, BigDL (both engines), native MKL and Parquet on this machine";
  }

  @Override
  public List<String> configSections() {
    return List.of("spark", "engine", "run");
  }

  @Override
  public int run(Invocation invocation) {
    List<Check> checks = Doctor.run(invocation::spark, invocation.run());
    invocation.out().printf("%-22s %-5s %s%n", "check", "", "detail");
    boolean failed = false;
    for (Check c : checks) {
      invocation.out().printf("%-22s %-5s %s%n", c.name(), c.status(), c.detail());
      if (!c.fix().isEmpty()) {
        invocation.out().printf("%-22s %-5s fix: %s%n", "", "", c.fix());
      }
      failed |= c.status() == Doctor.Status.FAIL;
    }
    invocation.out().println(failed ? "doctor: some checks FAILED" : "doctor: all checks passed");
    return failed ? Main.FAILED : Main.OK;
  }
}
