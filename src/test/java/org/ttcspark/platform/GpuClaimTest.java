package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuClaimTest {
  @Test
  void theDeviceIndexesTheVisibleDevices() {
    assertEquals("0", new GpuClaim("h", "1", null, null, "cuda").physicalGpu());
    assertEquals("3", new GpuClaim("h", "1", null, null, "cuda:3").physicalGpu());
    assertEquals("2", new GpuClaim("h", "1", null, "2", "cuda").physicalGpu());
    assertEquals("GPU-b1",
        new GpuClaim("h", "1", null, "GPU-a0, GPU-b1", "cuda:1").physicalGpu());
    assertNull(new GpuClaim("h", "1", null, "2", "cuda:1").physicalGpu(), "not visible");
    assertNull(new GpuClaim("h", "1", null, "", "cuda").physicalGpu(), "none visible");
    assertEquals("3", new GpuClaim("h", "1", "3", null, "cuda").physicalGpu(),
        "a container given the host's GPU 3 sees it as its GPU 0");
    assertEquals("5", new GpuClaim("h", "1", "3,5", "1", "cuda").physicalGpu());
    assertNull(new GpuClaim("h", "1", "void", null, "cuda").physicalGpu());
  }

  @Test
  void containersOnOneHostNetworkWithAGpuEachDoNotConflict() {
    assertEquals(List.of(), GpuClaim.conflicts(List.of(new GpuClaim("node", "1", "0", null,
        "cuda"), new GpuClaim("node", "2", "1", null, "cuda"))));
    assertEquals(1, GpuClaim.conflicts(List.of(new GpuClaim("node", "1", "0", null, "cuda"),
        new GpuClaim("node", "2", "1,0", "1", "cuda"))).size());
  }

  @Test
  void twoExecutorsOfOneHostOnOneGpuConflictAndOneGpuEachDoesNot() {
    List<GpuClaim> ownGpus = List.of(new GpuClaim("node-a", "1", null, "0", "cuda"),
        new GpuClaim("node-a", "2", null, "1", "cuda"),
        new GpuClaim("node-b", "3", null, null, "cuda"),
        new GpuClaim("node-b", "3", null, null, "cuda"),
        new GpuClaim("node-c", "4", null, null, "cuda"));
    assertEquals(List.of(), GpuClaim.conflicts(ownGpus),
        "slices of one executor share its GPU; hosts do not share GPUs");
    List<GpuClaim> shared = List.of(new GpuClaim("node-a", "1", null, null, "cuda"),
        new GpuClaim("node-a", "2", null, "0,1", "cuda"),
        new GpuClaim("node-a", "3", null, "1", "cuda"));
    assertEquals(List.of("host node-a: GPU 0 is claimed by executor 1 (CUDA_VISIBLE_DEVICES "
        + "unset, engine.device = cuda) and executor 2 (CUDA_VISIBLE_DEVICES=0,1, "
        + "engine.device = cuda)"), GpuClaim.conflicts(shared));
  }
}
