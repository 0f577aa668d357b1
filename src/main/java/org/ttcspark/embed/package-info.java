/**
 * Embedding: a trained encoder and a prepared dataset to Parquet embeddings.
 * <p>Depends on {@code model}, {@code augment}, {@code data}.
 */
package org.ttcspark.embed;
