package org.ttcspark.platform;

/**
 * The compute engines. The contrastive loss sees a different batch in each BigDL engine:
 * MKL-DNN keeps one model per executor (the loss sees the executor's whole share of the batch),
 * MKL BLAS keeps one model replica per core (the loss sees the core's share). The torch engine
 * computes each slice's forward and backward in PyTorch (through DJL, on {@code engine.device})
 * and trains in global scope only, so its loss always sees the whole batch; BigDL still holds
 * the flat parameter vector, the all-reduce and the optimiser, in MKL BLAS mode.
 */
public enum EngineType {
  MKLBLAS,
  MKLDNN,
  TORCH;

  /** The value of BigDL's {@code bigdl.engineType} system property for this engine. */
  public String property() {
    return this == MKLDNN ? "mkldnn" : "mklblas";
  }
}
