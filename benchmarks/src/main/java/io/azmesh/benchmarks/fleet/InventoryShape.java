package io.azmesh.benchmarks.fleet;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How the synthetic YAML inventory is written, so the file provider's fast path is measured on the
 * shapes people's files take, not only on the generator's own. JSON inventories ignore it.
 *
 * @param header whether a comment comes before {@code instances:}
 * @param tags whether tags are a flow mapping on one line or a block mapping
 * @param keyOrder whether each entry lists its fields in the same order or in its own order
 */
public record InventoryShape(Header header, Tags tags, KeyOrder keyOrder) {
  /** The generator's shape until these options existed. */
  public static final InventoryShape PLAIN =
      new InventoryShape(Header.NONE, Tags.FLOW, KeyOrder.FIXED);

  public InventoryShape {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(tags, "tags");
    Objects.requireNonNull(keyOrder, "keyOrder");
  }

  /** What comes before {@code instances:}. */
  public enum Header {
    NONE,
    COMMENT
  }

  /** How each instance's tags are written. */
  public enum Tags {
    FLOW,
    BLOCK
  }

  /** The order of each entry's fields; a shuffled order is the entry's own and stays put. */
  public enum KeyOrder {
    FIXED,
    SHUFFLED
  }

  /** {@code value} as a constant of {@code type}, in any case; throws naming the option. */
  static <E extends Enum<E>> E parse(String option, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option
              + " is '"
              + value
              + "', not one of "
              + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }
}
