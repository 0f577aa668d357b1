package org.ttcspark.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The one line a failed command prints. Spark wraps the error of a task in exceptions that
 * say only where it surfaced ("Job aborted.", "Task failed while writing rows.", "Job aborted
 * due to stage failure: ... most recent failure: Lost task ...: <class>: <message> <stack>"),
 * so the user would read "Job aborted." where the task said what was wrong with the input.
 * The line is the message of the innermost exception that has something to say.
 */
final class ErrorLine {
  private static final String STAGE_FAILURE = "Job aborted due to stage failure";
  private static final String MOST_RECENT = "most recent failure: ";

  private ErrorLine() {}

  /** The message to print for {@code e}, on one line. */
  static String of(Throwable e) {
    Throwable t = innermost(e);
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    if (m.startsWith(STAGE_FAILURE)) {
      m = taskMessage(m);
    } else if (!ours(t)) {
      m = t.getClass().getSimpleName() + ": " + m;
    }
    return m.strip().replace('\n', ' ');
  }

  /** Follows the causes through wrappers that add nothing the user can act on. */
  static Throwable innermost(Throwable e) {
    Set<Throwable> seen = new HashSet<>();
    Throwable t = e;
    while (t.getCause() != null && seen.add(t) && wrapper(t)) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean wrapper(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.equals(t.getCause().toString()) || t instanceof ExecutionException
        || t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException) {
      return true;
    }
    return t.getClass().getName().startsWith("org.apache.spark.")
        && (m.startsWith("Job aborted") || m.startsWith("Task failed while writing rows")
            || m.startsWith("Exception thrown in awaitResult"));
  }

  /**
   * The task's own message from a stage failure whose cause did not travel back: the text
   * after "Lost task ... (TID n, host, executor x): ", up to the stack trace, class name cut.
   */
  static String taskMessage(String stageFailure) {
    int i = stageFailure.indexOf(MOST_RECENT);
    if (i < 0) {
      return firstLine(stageFailure);
    }
    String rest = stageFailure.substring(i + MOST_RECENT.length());
    int executor = rest.indexOf("): ");
    if (executor >= 0) {
      rest = rest.substring(executor + 3);
    }
    rest = firstLine(rest);
    for (String prefix : new String[] {"java.lang.IllegalArgumentException: ",
        "java.lang.IllegalStateException: ", "java.io.UncheckedIOException: "}) {
      if (rest.startsWith(prefix)) {
        return rest.substring(prefix.length());
      }
    }
    return rest;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Exceptions whose messages are written for the user (ours, by convention of their type). */
  private static boolean ours(Throwable t) {
    return t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException
        || t instanceof UnsupportedOperationException
        || t.getClass().getName().startsWith("org.ttcspark.")
        || t.getClass().getName().startsWith("com.typesafe.config.");
  }
}
