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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Translates discovered instances into Envoy resources. Pure and deterministic: no I/O, no clock,
 * and the same input in any order gives the same resources and versions.
 *
 * <p>Clusters, listeners and routes depend only on the set of services and the config, never on
 * which instances are in a service, so endpoint churn changes only ClusterLoadAssignments.
 */
public final class Translator {

  /**
   * Translates {@code instances}.
   *
   * @param drainingInstanceIds instances to publish as DRAINING whatever their power state; the
   *     caller decides who drains and for how long
   * @throws IllegalArgumentException if two instances share an id
   */
  public Translation translate(
      MeshConfig config, List<Instance> instances, Set<String> drainingInstanceIds) {
    List<Instance> sorted = sortedUnique(instances);
    Set<String> gatewayNames = config.gateways().keySet();

    SortedMap<String, ServicePolicy> services = new TreeMap<>(config.services());
    config.gateways().values().stream()
        .flatMap(g -> g.namedServices().stream())
        .forEach(s -> config.policyOf(s).ifPresent(p -> services.putIfAbsent(s, p)));

    Map<String, List<PublishedEndpoint>> endpoints = new HashMap<>();
    Map<String, List<String>> healthPaths = new HashMap<>();
    List<InstanceStatus> statuses = new ArrayList<>(sorted.size());
    List<Problem> problems = new ArrayList<>();

    for (Instance instance : sorted) {
      InstanceTags tags = InstanceTags.read(instance, config.tags());
      List<Problem> instanceProblems = new ArrayList<>(tags.problems());
      List<InstanceStatus.ServiceEndpoint> published = new ArrayList<>();
      InstanceStatus.State state = stateOf(instance, drainingInstanceIds);
      boolean anyService = false;
      for (String service : tags.services()) {
        Optional<ServicePolicy> policy =
            admit(config, service, gatewayNames, instance, instanceProblems);
        if (policy.isEmpty()) {
          continue;
        }
        // A bad tag leaves the instance out, never its service: the cluster stays put.
        services.putIfAbsent(service, policy.get());
        if (!tags.usable()) {
          continue;
        }
        Optional<String> address = address(instance, service, policy.get(), instanceProblems);
        if (address.isEmpty()) {
          continue;
        }
        anyService = true;
        tags.healthPath()
            .ifPresent(p -> healthPaths.computeIfAbsent(service, s -> new ArrayList<>()).add(p));
        if (state == InstanceStatus.State.EXCLUDED) {
          continue;
        }
        int port = tags.port().orElse(policy.get().port());
        endpoints
            .computeIfAbsent(service, s -> new ArrayList<>())
            .add(new PublishedEndpoint(instance, address.get(), port, tags.weight(), state));
        published.add(
            new InstanceStatus.ServiceEndpoint(
                service, service, address.get(), port, tags.weight()));
      }
      InstanceStatus.State finalState = anyService ? state : InstanceStatus.State.EXCLUDED;
      statuses.add(new InstanceStatus(instance, finalState, published, instanceProblems));
      problems.addAll(instanceProblems);
    }

    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    services.forEach(
        (service, policy) -> {
          clusters.add(
              ServiceCluster.of(service, policy, healthPath(policy, healthPaths.get(service))));
          assignments.add(
              ServiceLoadAssignment.of(service, endpoints.getOrDefault(service, List.of())));
          if (policy.offeredToProxylessClients()) {
            listeners.add(ApiListener.of(service, policy));
          }
        });
    config
        .gateways()
        .forEach(
            (name, gateway) -> {
              listeners.add(GatewayListener.of(name, gateway));
              routes.add(GatewayRoutes.of(name, gateway, services));
            });
    return new Translation(
        XdsResources.of(clusters, assignments, listeners, routes), statuses, problems);
  }

  private static InstanceStatus.State stateOf(Instance instance, Set<String> draining) {
    if (draining.contains(instance.id())) {
      return InstanceStatus.State.DRAINING;
    }
    return instance.powerState().isServing()
        ? InstanceStatus.State.SERVING
        : InstanceStatus.State.EXCLUDED;
  }

  /** The policy of a tagged service, or empty with a problem when the config does not admit it. */
  private static Optional<ServicePolicy> admit(
      MeshConfig config,
      String service,
      Set<String> gatewayNames,
      Instance instance,
      List<Problem> problems) {
    String field = "tag " + config.tags().service();
    if (gatewayNames.contains(service) && !config.services().containsKey(service)) {
      problems.add(
          Problem.of(instance.name(), field, service, "names a gateway listener, not a service"));
      return Optional.empty();
    }
    Optional<ServicePolicy> policy = config.policyOf(service);
    if (policy.isEmpty()) {
      problems.add(
          Problem.of(instance.name(), field, service, "not a service listed in the mesh config"));
    }
    return policy;
  }

  private static Optional<String> address(
      Instance instance, String service, ServicePolicy policy, List<Problem> problems) {
    if (policy.address() == AddressChoice.PRIVATE) {
      return Optional.of(instance.privateIp());
    }
    if (instance.publicIp().isEmpty()) {
      problems.add(
          Problem.missing(
              instance.name(), "public_ip", "service " + service + " publishes public addresses"));
    }
    return instance.publicIp();
  }

  /**
   * The HTTP health-check path: the configured one, else the most common tagged one (ties go to the
   * smallest), else {@code /} when an HTTP check is configured; empty for no HTTP check.
   */
  private static Optional<String> healthPath(ServicePolicy policy, Collection<String> tagged) {
    HealthCheck check = policy.healthCheck();
    boolean httpCheckPossible =
        check.kind() == HealthCheck.Kind.HTTP
            || (check.kind() == HealthCheck.Kind.NONE
                && policy.protocol().isHttp()
                && policy.protocol() != Protocol.GRPC);
    if (!httpCheckPossible) {
      return Optional.empty();
    }
    if (check.path().isPresent()) {
      return check.path();
    }
    if (tagged != null && !tagged.isEmpty()) {
      Map<String, Integer> counts = new TreeMap<>();
      tagged.forEach(p -> counts.merge(p, 1, Integer::sum));
      return counts.entrySet().stream()
          .max(
              Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                  .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
          .map(Map.Entry::getKey);
    }
    return check.kind() == HealthCheck.Kind.HTTP ? Optional.of("/") : Optional.empty();
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
