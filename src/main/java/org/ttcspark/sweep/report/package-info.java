/**
 * The self-contained HTML report of a run or a sweep: inline SVG charts, embedded PNG plots,
 * tables; every name taken from data is HTML-escaped and nothing is fetched at view time.
 * <p>Reads the files the stages write (metrics.jsonl, probe.json, metrics.json, results.csv);
 * depends on no Spark or BigDL code.
 */
package org.ttcspark.sweep.report;
