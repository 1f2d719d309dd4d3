package io.azmesh.status;

import java.util.List;

/**
 * {@code GET /api/history}: the status server's recent samples of the mesh, oldest first, for the
 * status page's charts.
 *
 * @param intervalSeconds seconds between samples when nothing is published; a publish adds one
 * @param capacity the most samples kept
 * @param samples oldest first
 */
record HistoryView(long intervalSeconds, int capacity, List<MeshHistory.Sample> samples) {

  HistoryView {
    samples = List.copyOf(samples);
  }

  static HistoryView of(MeshHistory history) {
    return new HistoryView(history.interval().toSeconds(), history.capacity(), history.samples());
  }
}
