package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.InstanceStatus;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one translation publishes: the discovered instances, plus what the control loop keeps
 * although discovery no longer shows it.
 *
 * @param instances the instances as discovered
 * @param drainingInstanceIds instances to publish as DRAINING whatever their power state
 * @param retained endpoints kept in one service each after their instance left it (draining, or
 *     held by the mass-removal guard), as the instance was when it last served there
 * @param retainedServices services to keep (cluster, API listener, routes and an empty
 *     ClusterLoadAssignment) although no instance names them, so subscribed clients stay subscribed
 */
public record TranslationInput(
    List<Instance> instances,
    Set<String> drainingInstanceIds,
    List<RetainedEndpoint> retained,
    Set<String> retainedServices) {

  public TranslationInput {
    instances = List.copyOf(instances);
    drainingInstanceIds = Set.copyOf(drainingInstanceIds);
    retained = List.copyOf(retained);
    retainedServices = Set.copyOf(retainedServices);
  }

  /** The instances alone, with these drained. */
  public static TranslationInput of(List<Instance> instances, Set<String> drainingInstanceIds) {
    return new TranslationInput(instances, drainingInstanceIds, List.of(), Set.of());
  }

  /**
   * An instance kept as an endpoint of one service after it left it.
   *
   * @param instance the instance as it was when it last served in {@code service}
   * @param service the service it is kept in
   * @param state DRAINING, or SERVING while the guard holds its removal
   */
  public record RetainedEndpoint(Instance instance, String service, InstanceStatus.State state) {
    public RetainedEndpoint {
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(state, "state");
      if (state == InstanceStatus.State.EXCLUDED) {
        throw new IllegalArgumentException(
            "retained endpoint of '" + instance.id() + "' in " + service + " must be published");
      }
    }
  }
}
