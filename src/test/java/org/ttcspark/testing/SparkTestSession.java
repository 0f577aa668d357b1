package org.ttcspark.testing;

import com.typesafe.config.Config;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.platform.SparkRuntime;

/**
 * JUnit 5 extension giving every Spark test of the JVM one shared local session
 * ({@code local[2]}, 4 shuffle partitions, UI off) and one BigDL Engine init, started through
 * the same {@link SparkRuntime} the commands use. Commands run in-process by a test reuse it.
 *
 * <p>Use with {@code @ExtendWith(SparkTestSession.class)} and take a {@link SparkSession}
 * parameter. The session is stopped when the JVM's test run ends (a root-store resource).
 */
public final class SparkTestSession implements ParameterResolver {
  private static final String KEY = SparkTestSession.class.getName();

  /** The shared session, started on first use. */
  public static SparkSession session() {
    return runtime().session();
  }

  /** The shared runtime, started on first use. */
  public static synchronized SparkRuntime runtime() {
    Config config = ConfigLoader.load(List.of(), List.of("spark.master=local[2]",
        "spark.shuffle-partitions=4", "spark.ui=false", "engine.type=mkldnn",
        "engine.core-number=2", "engine.mkl-num-threads=2"));
    return SparkRuntime.start(RuntimeConfig.from(config), "tests");
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == SparkSession.class || type == SparkRuntime.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    SparkRuntime runtime = runtime();
    e.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(KEY, k -> new Stopper(), Stopper.class);
    return p.getParameter().getType() == SparkSession.class ? runtime.session() : runtime;
  }

  /** Stops the shared session when JUnit closes the root store. */
  private static final class Stopper implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      SparkRuntime.stop();
    }
  }
}
