package io.azmesh.discovery.file;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import java.util.List;

/**
 * What one parse gave: the instances in file order, or every problem's message. Two parsers agree
 * on a text when their outcomes are equal.
 */
record ParseOutcome(List<Instance> instances, List<String> problems) {

  static ParseOutcome of(IncrementalInventoryParser parser, String text) {
    try {
      return new ParseOutcome(parser.parse(text), List.of());
    } catch (InvalidInventoryException e) {
      return new ParseOutcome(List.of(), e.problems().stream().map(Problem::message).toList());
    }
  }

  static ParseOutcome of(InventoryParser parser, String text) {
    try {
      return new ParseOutcome(parser.parse(text), List.of());
    } catch (InvalidInventoryException e) {
      return new ParseOutcome(List.of(), e.problems().stream().map(Problem::message).toList());
    }
  }
}
