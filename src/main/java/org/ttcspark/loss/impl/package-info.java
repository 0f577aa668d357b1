/**
 * Internals of the loss core: the shared contrastive kernel (Gram matrix, per-anchor softmax
 * terms, symmetric gradient product) and the BLAS/vector-math calls behind it (MKL through
 * BigDL's JNI binding when loaded, plain Java otherwise). No Spark types; BigDL's native MKL
 * binding is the only BigDL class used, and none appears in an API.
 */
package org.ttcspark.loss.impl;
