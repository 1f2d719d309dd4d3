package io.azmesh.discovery.file;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a file provider's parses of changed content cost, counted (never timed).
 *
 * @param incrementalParses parses that read only the entries whose text changed
 * @param fullParses parses of the whole file
 * @param entriesParsed changed entries parsed alone by incremental parses
 * @param entriesVerified entries parsed alone after a full parse, to check them against it before
 *     they are reused
 * @param fullParsesByReason why each full parse happened
 */
public record InventoryParseStats(
    long incrementalParses,
    long fullParses,
    long entriesParsed,
    long entriesVerified,
    Map<FullParseReason, Long> fullParsesByReason) {

  public InventoryParseStats {
    Objects.requireNonNull(fullParsesByReason, "fullParsesByReason");
    fullParsesByReason =
        fullParsesByReason.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(fullParsesByReason));
  }
}
