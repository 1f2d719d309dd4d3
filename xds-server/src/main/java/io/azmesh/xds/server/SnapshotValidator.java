package io.azmesh.xds.server;

import io.azmesh.xds.XdsResources;
import java.util.List;

/** Checks resources before they are published; an invalid set is never served. */
@FunctionalInterface
public interface SnapshotValidator {

  /** Accepts everything: for callers that validate elsewhere. */
  SnapshotValidator ACCEPT_ALL = resources -> List.of();

  /**
   * Returns one line per violation, naming the resource and the field; empty when the resources are
   * valid.
   */
  List<String> validate(XdsResources resources);
}
