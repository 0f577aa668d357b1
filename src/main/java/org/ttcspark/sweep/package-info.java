/**
 * Sweeps: expands a grid of datasets, ratios, methods and seeds into runs, resumes by config
 * hash, writes the results table and the HTML report.
 * <p>Depends on {@code train}, {@code embed}, {@code metrics}; nothing but {@code cli} depends on it.
 */
package org.ttcspark.sweep;
