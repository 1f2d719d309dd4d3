package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Translates discovered instances into Envoy resources. Pure and deterministic: no I/O, no clock,
 * and the same input in any order gives the same resources and versions.
 *
 * <p>Clusters, listeners and routes depend only on the set of services and the config, never on
 * which instances are in a service, so endpoint churn changes only ClusterLoadAssignments.
 */
public final class Translator {
  // Only this translator's previous output, reused where the input is unchanged.
  private final ResourceMemo memo = new ResourceMemo();

  /**
   * Translates {@code instances}.
   *
   * @param drainingInstanceIds instances to publish as DRAINING whatever their power state; the
   *     caller decides who drains and for how long
   * @throws IllegalArgumentException if two instances share an id
   */
  public synchronized Translation translate(
      MeshConfig config, List<Instance> instances, Set<String> drainingInstanceIds) {
    ServiceMembership membership = new ServiceMembership(config, memo);
    List<InstanceStatus> statuses = new ArrayList<>(instances.size());
    List<Problem> problems = new ArrayList<>();
    for (Instance instance : sortedUnique(instances)) {
      InstanceStatus status = membership.add(instance, stateOf(instance, drainingInstanceIds));
      statuses.add(status);
      problems.addAll(status.problems());
    }
    return new Translation(resources(config, membership, memo), statuses, problems);
  }

  /** Clusters, API listeners and gateways from the services; endpoints from their members. */
  private static XdsResources resources(
      MeshConfig config, ServiceMembership membership, ResourceMemo memo) {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    membership
        .services()
        .forEach(
            (service, policy) -> {
              clusters.add(memo.cluster(service, policy));
              assignments.add(memo.assignment(service, membership.endpoints(service)));
              if (policy.offeredToProxylessClients()) {
                listeners.add(memo.apiListener(service, policy));
              }
            });
    config
        .gateways()
        .forEach(
            (name, gateway) -> {
              listeners.add(memo.gatewayListener(name, gateway));
              routes.add(memo.gatewayRoutes(name, gateway, membership.services()));
            });
    return memo.resources(clusters, assignments, listeners, routes);
  }

  private static InstanceStatus.State stateOf(Instance instance, Set<String> draining) {
    if (draining.contains(instance.id())) {
      return InstanceStatus.State.DRAINING;
    }
    return instance.powerState().isServing()
        ? InstanceStatus.State.SERVING
        : InstanceStatus.State.EXCLUDED;
  }

  private static List<Instance> sortedUnique(List<Instance> instances) {
    Set<String> ids = new HashSet<>();
    for (Instance instance : instances) {
      if (!ids.add(instance.id())) {
        throw new IllegalArgumentException("instance id '" + instance.id() + "' appears twice");
      }
    }
    return instances.stream().sorted(Comparator.comparing(Instance::id)).toList();
  }
}
