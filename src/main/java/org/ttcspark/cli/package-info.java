/**
 * The command line: one entry point ({@link org.ttcspark.cli.Main}), argument parsing, exit codes
 * and the {@code doctor} checks. Nothing imports this package.
 */
package org.ttcspark.cli;
