package org.ttcspark.cli;

/**
 * A command-specific option such as {@code --features F.npy} or {@code --dry-run}.
 *
 * @param name without the leading dashes
 * @param valueName placeholder shown in help for a flag that takes a value; null for a switch
 * @param help one line
 */
public record Flag(String name, String valueName, String help) {
  /** A flag that takes a value. */
  public static Flag value(String name, String valueName, String help) {
    return new Flag(name, valueName, help);
  }

  /** A switch: present or absent. */
  public static Flag toggle(String name, String help) {
    return new Flag(name, null, help);
  }

  public boolean takesValue() {
    return valueName != null;
  }
}
