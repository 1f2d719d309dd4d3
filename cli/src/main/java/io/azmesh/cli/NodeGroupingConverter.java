package io.azmesh.cli;

import io.azmesh.xds.server.NodeGrouping;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a {@link NodeGrouping} as written on the command line: {@code single}, {@code by-cluster}.
 */
final class NodeGroupingConverter implements ITypeConverter<NodeGrouping> {
  @Override
  public NodeGrouping convert(String value) {
    for (NodeGrouping grouping : NodeGrouping.values()) {
      if (name(grouping).equals(value.strip())) {
        return grouping;
      }
    }
    throw new TypeConversionException(
        "'"
            + value
            + "' is not a node grouping; use "
            + Arrays.stream(NodeGrouping.values())
                .map(NodeGroupingConverter::name)
                .collect(Collectors.joining(" or ")));
  }

  /** The command-line name: {@code BY_CLUSTER} -> {@code by-cluster}. */
  static String name(NodeGrouping grouping) {
    return grouping.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
