/**
 * BigDL criteria around the pure loss core: the only classes of the loss stage that see BigDL
 * tensors. Row order and target layout are converted here, once.
 */
package org.ttcspark.loss.bigdl;
