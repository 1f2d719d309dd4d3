package io.azmesh.discovery.file;

import java.util.List;
import java.util.Objects;

/** How a YAML inventory's text divides into instance entries, or why it cannot be divided. */
sealed interface InventoryLayout {

  /**
   * The text of each item of the {@code instances} block list, and the frame around them.
   *
   * @param prelude everything before the first item: comments, {@code ---}, the {@code instances:}
   *     line
   * @param texts each item's text, from its {@code -} line up to the next item (comments and blank
   *     lines after an item belong to it), in file order
   * @param trailer everything after the last item: empty, or a {@code ...} line and comments
   */
  record Entries(String prelude, List<String> texts, String trailer) implements InventoryLayout {
    public Entries {
      Objects.requireNonNull(prelude, "prelude");
      texts = List.copyOf(texts);
      Objects.requireNonNull(trailer, "trailer");
      if (texts.isEmpty()) {
        throw new IllegalArgumentException("texts must not be empty");
      }
    }

    /** Whether the text outside the entries is the same as in {@code other}. */
    boolean sameFrame(Entries other) {
      return prelude.equals(other.prelude) && trailer.equals(other.trailer);
    }
  }

  /** A text only the full parse reads, and why. */
  record Whole(FullParseReason reason) implements InventoryLayout {
    public Whole {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
