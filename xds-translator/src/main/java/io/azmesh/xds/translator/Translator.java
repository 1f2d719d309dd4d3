package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.translator.TranslationInput.RetainedEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
   * How many resources the last translation serialized and hashed for its versions: those it did
   * not reuse from the translation before. A test hook for the cost of a change.
   */
  synchronized int digestedInLastTranslation() {
    return memo.digestedInLastCall();
  }

  /**
   * Translates {@code instances}.
   *
   * @param drainingInstanceIds instances to publish as DRAINING whatever their power state; the
   *     caller decides who drains and for how long
   * @throws IllegalArgumentException if two instances share an id
   */
  public synchronized Translation translate(
      MeshConfig config, List<Instance> instances, Set<String> drainingInstanceIds) {
    return translate(config, TranslationInput.of(instances, drainingInstanceIds));
  }

  /**
   * Translates the instances with what the control loop retains: endpoints kept in services their
   * instances left, and services kept with no instances.
   *
   * @throws IllegalArgumentException if two instances share an id
   */
  public synchronized Translation translate(MeshConfig config, TranslationInput input) {
    ServiceMembership membership = new ServiceMembership(config, memo);
    // Filled in id order; a retained instance that was not discovered breaks the order, and the
    // statuses are sorted once at the end only then.
    Map<String, InstanceStatus> statuses = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Instance instance : sortedUnique(input.instances())) {
      InstanceStatus status =
          membership.add(instance, stateOf(instance, input.drainingInstanceIds()));
      statuses.put(instance.id(), status);
      problems.addAll(status.problems());
    }
    List<RetainedEndpoint> retained =
        input.retained().stream()
            .sorted(
                Comparator.comparing((RetainedEndpoint r) -> r.instance().id())
                    .thenComparing(RetainedEndpoint::service))
            .toList();
    boolean inOrder = true;
    for (RetainedEndpoint kept : retained) {
      Optional<InstanceStatus.ServiceEndpoint> endpoint =
          membership.retain(kept.instance(), kept.service(), kept.state());
      if (endpoint.isPresent()) {
        inOrder &= statuses.containsKey(kept.instance().id());
        statuses.merge(
            kept.instance().id(),
            retainedStatus(kept, endpoint.get()),
            Translator::withEndpointsOf);
      }
    }
    input.retainedServices().forEach(membership::keep);
    Collection<InstanceStatus> byId =
        inOrder ? statuses.values() : new TreeMap<>(statuses).values();
    return new Translation(resources(config, membership, memo), List.copyOf(byId), problems);
  }

  /**
   * The membership {@link #translate} would find for {@code instances} alone, at a fraction of its
   * cost: no endpoint, resource or status is built.
   *
   * @throws IllegalArgumentException if two instances share an id
   */
  public synchronized Membership membership(MeshConfig config, List<Instance> instances) {
    ServiceMembership membership = new ServiceMembership(config, memo);
    Map<String, List<String>> servingIn = new HashMap<>();
    for (Instance instance : sortedUnique(instances)) {
      List<String> services = membership.servingIn(instance);
      if (!services.isEmpty()) {
        servingIn.put(instance.id(), services);
      }
    }
    return new Membership(
        servingIn, java.util.Collections.unmodifiableSet(membership.services().keySet()));
  }

  private static InstanceStatus retainedStatus(
      RetainedEndpoint kept, InstanceStatus.ServiceEndpoint endpoint) {
    return new InstanceStatus(kept.instance(), endpoint.state(), List.of(endpoint), List.of());
  }

  /**
   * The discovered instance's status with a retained endpoint added; serving wins over draining.
   */
  private static InstanceStatus withEndpointsOf(InstanceStatus current, InstanceStatus retained) {
    List<InstanceStatus.ServiceEndpoint> endpoints = new ArrayList<>(current.endpoints());
    endpoints.addAll(retained.endpoints());
    InstanceStatus.State state =
        endpoints.stream().anyMatch(e -> e.state() == InstanceStatus.State.SERVING)
            ? InstanceStatus.State.SERVING
            : InstanceStatus.State.DRAINING;
    return new InstanceStatus(current.instance(), state, endpoints, current.problems());
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

  /** The instances in id order; throws if two share an id. */
  private static List<Instance> sortedUnique(List<Instance> instances) {
    if (strictlyIncreasingIds(instances)) {
      return instances;
    }
    Set<String> ids = new HashSet<>();
    for (Instance instance : instances) {
      if (!ids.add(instance.id())) {
        throw new IllegalArgumentException("instance id '" + instance.id() + "' appears twice");
      }
    }
    return instances.stream().sorted(Comparator.comparing(Instance::id)).toList();
  }

  /** In strictly increasing id order, so unique without a set (what {@code Discovery} gives). */
  private static boolean strictlyIncreasingIds(List<Instance> instances) {
    String last = null;
    for (Instance instance : instances) {
      if (last != null && last.compareTo(instance.id()) >= 0) {
        return false;
      }
      last = instance.id();
    }
    return true;
  }
}
