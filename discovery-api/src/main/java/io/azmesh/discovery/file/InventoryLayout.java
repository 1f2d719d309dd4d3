package io.azmesh.discovery.file;

import java.util.Objects;

/** How a YAML inventory's text divides into instance entries, or why it cannot be divided. */
sealed interface InventoryLayout {

  /**
   * Where each item of the {@code instances} block list starts and ends, and the frame around them.
   *
   * @param text the whole inventory
   * @param itemColumn the column of the list's {@code -} lines
   * @param bounds {@code bounds[i]} is where item {@code i} starts, from its {@code -} line
   *     (comments and blank lines after an item belong to it); the last element is where the last
   *     item ends and the trailer ({@code ...} and comments, or nothing) starts. Never changed once
   *     built.
   */
  record Entries(String text, int itemColumn, int[] bounds) implements InventoryLayout {
    public Entries {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(bounds, "bounds");
      if (bounds.length < 2) {
        throw new IllegalArgumentException("bounds must hold at least one item");
      }
    }

    /** The number of items. */
    int count() {
      return bounds.length - 1;
    }

    /** The text of item {@code i}. */
    String entry(int i) {
      return text.substring(bounds[i], bounds[i + 1]);
    }

    /**
     * Whether the text outside the items (before the first and after the last) is the same as in
     * {@code other}.
     */
    boolean sameFrame(Entries other) {
      int end = bounds[count()];
      int otherEnd = other.bounds[other.count()];
      int trailer = text.length() - end;
      return bounds[0] == other.bounds[0]
          && trailer == other.text.length() - otherEnd
          && text.regionMatches(0, other.text, 0, bounds[0])
          && text.regionMatches(end, other.text, otherEnd, trailer);
    }
  }

  /** A text only the full parse reads, and why. */
  record Whole(FullParseReason reason) implements InventoryLayout {
    public Whole {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
