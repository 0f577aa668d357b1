package org.ttcspark.platform;

/**
 * BigDL's two CPU engines. The contrastive loss sees a different batch in each: MKL-DNN keeps
 * one model per executor (the loss sees the executor's whole share of the batch), MKL BLAS keeps
 * one model replica per core (the loss sees the core's share).
 */
public enum EngineType {
  MKLBLAS("mklblas"),
  MKLDNN("mkldnn");

  private final String property;

  EngineType(String property) {
    this.property = property;
  }

  /** The value of BigDL's {@code bigdl.engineType} system property. */
  public String property() {
    return property;
  }
}
