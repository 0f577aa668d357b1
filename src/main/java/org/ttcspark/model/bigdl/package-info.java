/**
 * The encoder as BigDL modules: ResNet backbones and heads built layer by layer with one name
 * per layer ({@link org.ttcspark.model.bigdl.Encoders}), the copy of MKL-DNN weights back into
 * the plain model ({@link org.ttcspark.model.bigdl.DnnWeights}), module files, and the one
 * evaluation-mode forward every stage uses ({@link org.ttcspark.model.bigdl.EvalForward}, shipped
 * to executors by {@link org.ttcspark.model.bigdl.SharedEvalModel}).
 * <p>Depends on {@code model}, {@code platform} and, for the broadcast of an evaluation model,
 * Spark core; never on a stage ({@code train}, {@code embed}, ...).
 */
package org.ttcspark.model.bigdl;
