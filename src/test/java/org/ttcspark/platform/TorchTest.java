package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

/** PyTorch loads from the jars (offline) and the doctor reports it; no Spark here. */
class TorchTest {
  private static RuntimeConfig config(String... overrides) {
    return RuntimeConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  @Test
  void loadsOfflineFromTheNativesJarAndRunsOnTheCpu() {
    assertEquals("2.5.1", Torch.engine(config()).getVersion());
    assertEquals("true", System.getProperty("ai.djl.offline"));
    Doctor.Check c = Doctor.torch(config("engine.type=torch", "engine.device=cpu"));
    assertEquals(Doctor.Status.OK, c.status(), c.toString());
    assertTrue(c.detail().contains("ran on cpu (engine.device)"), c.detail());
    assertTrue(Doctor.torch(config("engine.type=torch", "engine.precision=fp16")).detail()
        .contains("computes in fp16 (engine.precision)"), "the doctor names the precision");
  }

  @Test
  void precisionIsForTheTorchEngineAndBf16IsRefused() {
    assertEquals(Precision.FP32, config().precision());
    assertEquals(Precision.FP16, config("engine.type=torch", "engine.precision=fp16")
        .precision());
    RuntimeException mkl = assertThrows(RuntimeException.class,
        () -> config("engine.type=mkldnn", "engine.precision=fp16"));
    assertTrue(mkl.getMessage().contains("engine.precision")
        && mkl.getMessage().contains("engine.type = torch"), mkl.getMessage());
    RuntimeException bf16 = assertThrows(RuntimeException.class,
        () -> config("engine.type=torch", "engine.precision=bf16"));
    assertTrue(bf16.getMessage().contains("engine.precision")
        && bf16.getMessage().contains("bfloat16"), bf16.getMessage());
    RuntimeException typo = assertThrows(RuntimeException.class,
        () -> config("engine.type=torch", "engine.precision=half"));
    assertTrue(typo.getMessage().contains("engine.precision"), typo.getMessage());
  }

  @Test
  void cudaAskedForWithoutAGpuFailsClearly() {
    Assumptions.assumeTrue(Torch.engine(config()).getGpuCount() == 0, "a GPU is visible here");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Torch.device("cuda", Torch.engine(config())));
    assertTrue(e.getMessage().contains("engine.device = cuda but this process sees no CUDA "
        + "device") && e.getMessage().contains("engine.device = cpu"), e.getMessage());
    Doctor.Check c = Doctor.torch(config("engine.type=torch", "engine.device=cuda"));
    assertEquals(Doctor.Status.FAIL, c.status(), c.toString());
    assertTrue(c.detail().contains("no CUDA device"), c.detail());
  }

  @Test
  @Tag("gpu")
  void onAGpuNodeTheDoctorReportsCudaAndMemory() {
    Assumptions.assumeTrue(Torch.engine(config()).getGpuCount() > 0,
        "no CUDA device visible: this test needs a GPU node and mvn -Pgpu");
    Doctor.Check c = Doctor.torch(config("engine.type=torch", "engine.device=cuda"));
    assertEquals(Doctor.Status.OK, c.status(), c.toString());
    assertTrue(c.detail().contains("GiB free"), c.detail());
  }
}
