package io.azmesh.xds.server.loop;

import io.azmesh.xds.XdsResources;
import io.azmesh.xds.translator.XdsValidator;
import java.util.List;

/** Checks resources before they are published; an invalid set is never served. */
@FunctionalInterface
public interface SnapshotValidator {

  /**
   * Accepts everything. Only for tests that must publish what a client will reject, to exercise
   * NACK handling.
   */
  SnapshotValidator ACCEPT_ALL = resources -> List.of();

  /**
   * Returns one line per violation, naming the resource and the field; empty when the resources are
   * valid.
   */
  List<String> validate(XdsResources resources);

  /**
   * The production validator: Envoy's own validation rules, grpc-java's client rules and references
   * between resources ({@link XdsValidator}).
   */
  static SnapshotValidator envoyRules() {
    XdsValidator validator = new XdsValidator();
    return validator::validate;
  }
}
