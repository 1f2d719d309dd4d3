package io.azmesh.benchmarks.fleet;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The change being measured: which ClusterLoadAssignment must show it, and how many streams hold it
 * so far. Streams check every copy of that assignment they receive against it.
 */
final class ChangeTarget {
  private final int id;
  private final String assignment;
  private final EndpointChange change;
  private final AtomicInteger reached = new AtomicInteger();

  ChangeTarget(int id, String assignment, EndpointChange change) {
    this.id = id;
    this.assignment = Objects.requireNonNull(assignment, "assignment");
    this.change = Objects.requireNonNull(change, "change");
  }

  int id() {
    return id;
  }

  String assignment() {
    return assignment;
  }

  EndpointChange change() {
    return change;
  }

  /** Streams that hold the change. */
  int reached() {
    return reached.get();
  }

  void markReached() {
    reached.incrementAndGet();
  }
}
