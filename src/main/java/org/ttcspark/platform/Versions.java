package org.ttcspark.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions recorded with every run, read from the jars' own metadata. */
public final class Versions {
  private Versions() {}

  /** This application's version (from the jar manifest; "dev" when run from classes). */
  public static String ttc() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The git commit of the checkout the launcher ran from (system property), or "unknown". */
  public static String gitCommit() {
    return System.getProperty("ttc.git.commit", "unknown");
  }

  /** Spark's version, from Spark itself. */
  public static String spark() {
    return org.apache.spark.package$.MODULE$.SPARK_VERSION();
  }

  /** Scala's version, from the Scala library on the class path. */
  public static String scala() {
    return scala.util.Properties.versionNumberString();
  }

  /** The Hadoop client's version, from Hadoop itself. */
  public static String hadoop() {
    return org.apache.hadoop.util.VersionInfo.getVersion();
  }

  /** The running Java's version and vendor. */
  public static String java() {
    return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
  }

  /**
   * One line per component, as {@code ttc --version} prints it: this application, its commit,
   * and the versions of the stack it runs on.
   */
  public static String describe() {
    return "ttc-spark " + ttc() + " (git " + gitCommit() + ")\n"
        + "Spark " + spark() + ", Scala " + scala() + ", BigDL " + bigdl() + ", Hadoop client "
        + hadoop() + "\n"
        + "Java " + java();
  }

  /** BigDL's version, from the properties file inside its jar. */
  public static String bigdl() {
    return resource("/bigdl-version-info.properties", "version");
  }

  private static String resource(String name, String key) {
    try (InputStream in = Versions.class.getResourceAsStream(name)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty(key, "unknown").trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
