/**
 * Configuration: loading HOCON from reference.conf, presets and the command line, and
 * validating it (unknown keys with suggestions, wrong types) before any work starts.
 * <p>Depends on nothing else in ttc-spark; every stage reads its own record from a {@code Config}.
 */
package org.ttcspark.config;
