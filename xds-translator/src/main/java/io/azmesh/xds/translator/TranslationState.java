package io.azmesh.xds.translator;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.EndpointCounts;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.translator.TranslationInput.RetainedEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The last translation of one mesh config, kept by instance and by service, so the next one
 * rebuilds only what its input changed: the instances named by {@link InputChanges}, the retained
 * endpoints and kept services that differ from the last input's, and the services those are (or
 * were) in. Every part is a function of its own inputs and the config (an instance's admission of
 * the instance; a service's resources of its endpoints and policy), which is why rebuilding only
 * the changed parts gives what rebuilding everything gives; the control loop checks that
 * periodically against a translator that remembers nothing.
 *
 * <p>A translation without changes, or whose changes are not relative to the last input, starts
 * over from nothing: the one mechanism, with every instance and service changed. Not thread-safe.
 */
final class TranslationState {
  private final MeshConfig config;
  private final ResourceMemo memo;
  // Services with a cluster whatever the instances: listed, or routed to by a gateway.
  private final Set<String> baseServices;

  private List<Instance> instances;
  private Set<String> draining = Set.of();
  private final Map<String, ServiceMembership.Admission> admitted = new HashMap<>();
  // By instance id, then service.
  private Map<String, TreeMap<String, Retained>> retained = Map.of();
  private Set<String> kept = Set.of();
  private final Map<String, Parts> services = new HashMap<>();
  private final TreeMap<String, ServicePolicy> published = new TreeMap<>();
  private final TreeMap<String, InstanceStatus> statuses = new TreeMap<>();
  private final TreeMap<String, List<Problem>> problems = new TreeMap<>();
  private List<Listener> gatewayListeners = List.of();
  private List<RouteConfiguration> gatewayRoutes = List.of();
  private Translator.Work work = new Translator.Work(0, 0);

  private record Retained(RetainedEndpoint input, ServiceMembership.Retention retention) {}

  private static final TreeMap<String, Retained> EMPTY = new TreeMap<>();

  /** One service's part of the translation. */
  private static final class Parts {
    final TreeMap<String, PublishedEndpoint> discovered = new TreeMap<>();
    final TreeMap<String, PublishedEndpoint> retained = new TreeMap<>();
    // Discovered instances and retained endpoints whose tags name the service, admitted.
    int namedBy;
    boolean kept;
    Cluster cluster;
    ClusterLoadAssignment assignment;
    Optional<EndpointCounts> counts = Optional.empty();
    Listener apiListener;

    boolean unused() {
      return discovered.isEmpty() && retained.isEmpty() && namedBy == 0 && !kept;
    }
  }

  TranslationState(MeshConfig config, ResourceMemo memo) {
    this.config = Objects.requireNonNull(config, "config");
    this.memo = Objects.requireNonNull(memo, "memo");
    Set<String> base = new HashSet<>(config.services().keySet());
    config.gateways().values().stream()
        .flatMap(g -> g.namedServices().stream())
        .filter(s -> config.policyOf(s).isPresent())
        .forEach(base::add);
    this.baseServices = Set.copyOf(base);
  }

  MeshConfig config() {
    return config;
  }

  /** What the last translation rebuilt. */
  Translator.Work work() {
    return work;
  }

  /**
   * Translates {@code input}; with {@code changes} relative to the last input, only what changed.
   *
   * @throws IllegalArgumentException if two instances share an id
   */
  Translation translate(TranslationInput input, Optional<InputChanges> changes) {
    ServiceMembership admission = new ServiceMembership(config, memo);
    Set<String> changedServices = new HashSet<>();
    Set<String> changedIds = new HashSet<>();
    boolean incremental =
        changes.isPresent() && instances != null && changes.get().since() == instances;
    if (incremental) {
      changedIds.addAll(changes.get().instanceIds());
      symmetricDifference(draining, input.drainingInstanceIds(), changedIds);
      for (String id : changedIds) {
        forget(id, changedServices);
        Discovery.find(input.instances(), id)
            .ifPresent(i -> admit(i, admission, input.drainingInstanceIds(), changedServices));
      }
      if (admitted.size() != input.instances().size()) {
        // The changes did not describe this input: start over, still right.
        return translate(input, Optional.empty());
      }
    } else {
      reset();
      for (Instance instance : Translator.sortedUnique(input.instances())) {
        changedIds.add(instance.id());
        admit(instance, admission, input.drainingInstanceIds(), changedServices);
      }
      changedServices.addAll(baseServices);
    }
    instances = input.instances();
    draining = input.drainingInstanceIds();
    retain(input.retained(), admission, changedServices, changedIds);
    keep(input.retainedServices(), changedServices);

    boolean serviceSetChanged = !incremental;
    for (String service : changedServices) {
      serviceSetChanged |= rebuild(service);
    }
    for (String id : changedIds) {
      status(id);
    }
    if (serviceSetChanged) {
      List<Listener> listeners = new ArrayList<>();
      List<RouteConfiguration> routes = new ArrayList<>();
      config
          .gateways()
          .forEach(
              (name, gateway) -> {
                listeners.add(memo.gatewayListener(name, gateway));
                routes.add(memo.gatewayRoutes(name, gateway, published));
              });
      gatewayListeners = listeners;
      gatewayRoutes = routes;
    }
    work = new Translator.Work(changedIds.size(), changedServices.size());
    return new Translation(
        resources(), List.copyOf(statuses.values()), problems(), endpointCounts());
  }

  private void reset() {
    admitted.clear();
    retained = Map.of();
    kept = Set.of();
    services.clear();
    published.clear();
    statuses.clear();
    problems.clear();
  }

  private void admit(
      Instance instance,
      ServiceMembership admission,
      Set<String> drainingIds,
      Set<String> changedServices) {
    ServiceMembership.Admission a = admission.add(instance, stateOf(instance, drainingIds));
    admitted.put(instance.id(), a);
    a.endpoints().forEach((service, e) -> parts(service).discovered.put(instance.id(), e));
    a.admitted().forEach(service -> parts(service).namedBy++);
    changedServices.addAll(a.admitted());
    changedServices.addAll(a.endpoints().keySet());
    if (!a.status().problems().isEmpty()) {
      problems.put(instance.id(), a.status().problems());
    }
  }

  /** Takes the instance's last admission out of its services. */
  private void forget(String id, Set<String> changedServices) {
    ServiceMembership.Admission a = admitted.remove(id);
    if (a == null) {
      return;
    }
    a.endpoints().keySet().forEach(service -> parts(service).discovered.remove(id));
    a.admitted().forEach(service -> parts(service).namedBy--);
    changedServices.addAll(a.admitted());
    changedServices.addAll(a.endpoints().keySet());
    problems.remove(id);
  }

  /** The retained endpoints that differ from the last input's, applied; the rest kept as is. */
  private void retain(
      List<RetainedEndpoint> input,
      ServiceMembership admission,
      Set<String> changedServices,
      Set<String> changedIds) {
    Map<String, TreeMap<String, Retained>> next = new HashMap<>(input.size() * 2);
    for (RetainedEndpoint endpoint : input) {
      String id = endpoint.instance().id();
      Retained before = retained.getOrDefault(id, EMPTY).get(endpoint.service());
      Retained now;
      if (before != null && before.input().equals(endpoint)) {
        now = before;
      } else {
        if (before != null) {
          unretain(before, changedServices, changedIds);
        }
        now =
            new Retained(
                endpoint,
                admission.retain(endpoint.instance(), endpoint.service(), endpoint.state()));
        Parts parts = parts(endpoint.service());
        now.retention().endpoint().ifPresent(e -> parts.retained.put(id, e));
        if (now.retention().admitted()) {
          parts.namedBy++;
        }
        changedServices.add(endpoint.service());
        changedIds.add(id);
      }
      if (next.computeIfAbsent(id, i -> new TreeMap<>()).put(endpoint.service(), now) != null) {
        throw new IllegalArgumentException(
            "retained endpoint of '" + id + "' in " + endpoint.service() + " appears twice");
      }
    }
    retained.forEach(
        (id, byService) ->
            byService.forEach(
                (service, before) -> {
                  if (!next.getOrDefault(id, EMPTY).containsKey(service)) {
                    unretain(before, changedServices, changedIds);
                  }
                }));
    retained = next;
  }

  private void unretain(Retained before, Set<String> changedServices, Set<String> changedIds) {
    String id = before.input().instance().id();
    String service = before.input().service();
    Parts parts = parts(service);
    if (before.retention().endpoint().isPresent()) {
      parts.retained.remove(id);
    }
    if (before.retention().admitted()) {
      parts.namedBy--;
    }
    changedServices.add(service);
    changedIds.add(id);
  }

  private void keep(Set<String> input, Set<String> changedServices) {
    Set<String> changed = new HashSet<>();
    symmetricDifference(kept, input, changed);
    for (String service : changed) {
      parts(service).kept = input.contains(service);
      changedServices.add(service);
    }
    kept = input;
  }

  /** Builds one service's resources again from its parts; whether it gained or lost its cluster. */
  private boolean rebuild(String service) {
    Parts parts = services.get(service);
    boolean exists =
        baseServices.contains(service)
            || (parts != null
                && (!parts.discovered.isEmpty()
                    || !parts.retained.isEmpty()
                    || parts.namedBy > 0
                    || (parts.kept && keepable(service))));
    Optional<ServicePolicy> policy = exists ? config.policyOf(service) : Optional.empty();
    if (policy.isEmpty()) {
      if (parts != null && parts.unused()) {
        services.remove(service);
      }
      return published.remove(service) != null;
    }
    ServicePolicy p = policy.get();
    if (parts == null) {
      parts = parts(service);
    }
    List<PublishedEndpoint> endpoints =
        new ArrayList<>(parts.discovered.size() + parts.retained.size());
    endpoints.addAll(parts.discovered.values());
    endpoints.addAll(parts.retained.values());
    parts.cluster = memo.cluster(service, p);
    ResourceMemo.Assignment assignment = memo.assignment(service, endpoints);
    parts.assignment = assignment.resource();
    parts.counts = assignment.counts();
    parts.apiListener = p.offeredToProxylessClients() ? memo.apiListener(service, p) : null;
    return published.put(service, p) == null;
  }

  /** A service an instance no longer names is kept if the config still admits it. */
  private boolean keepable(String service) {
    return !(config.gateways().containsKey(service) && !config.services().containsKey(service));
  }

  /**
   * The instance's status: as discovered, with its retained endpoints added in service order;
   * serving wins over draining. An instance only retained takes the first one's instance.
   */
  private void status(String id) {
    ServiceMembership.Admission a = admitted.get(id);
    InstanceStatus status = a == null ? null : a.status();
    for (Retained r : retained.getOrDefault(id, EMPTY).values()) {
      Optional<PublishedEndpoint> endpoint = r.retention().endpoint();
      if (endpoint.isEmpty()) {
        continue;
      }
      InstanceStatus.ServiceEndpoint e =
          ServiceMembership.serviceEndpoint(r.input().service(), endpoint.get());
      if (status == null) {
        status = new InstanceStatus(r.input().instance(), e.state(), List.of(e), List.of());
      } else {
        List<InstanceStatus.ServiceEndpoint> endpoints = new ArrayList<>(status.endpoints());
        endpoints.add(e);
        InstanceStatus.State state =
            endpoints.stream().anyMatch(x -> x.state() == InstanceStatus.State.SERVING)
                ? InstanceStatus.State.SERVING
                : InstanceStatus.State.DRAINING;
        status = new InstanceStatus(status.instance(), state, endpoints, status.problems());
      }
    }
    if (status == null) {
      statuses.remove(id);
    } else {
      statuses.put(id, status);
    }
  }

  private XdsResources resources() {
    List<Cluster> clusters = new ArrayList<>(published.size());
    List<ClusterLoadAssignment> assignments = new ArrayList<>(published.size());
    List<Listener> listeners = new ArrayList<>();
    for (String service : published.keySet()) {
      Parts parts = services.get(service);
      clusters.add(parts.cluster);
      assignments.add(parts.assignment);
      if (parts.apiListener != null) {
        listeners.add(parts.apiListener);
      }
    }
    listeners.addAll(gatewayListeners);
    return memo.resources(clusters, assignments, listeners, gatewayRoutes);
  }

  /** Per service with endpoints, how many serve and drain. */
  private Map<String, EndpointCounts> endpointCounts() {
    Map<String, EndpointCounts> counts = new HashMap<>(published.size() * 2);
    for (String service : published.keySet()) {
      services.get(service).counts.ifPresent(c -> counts.put(service, c));
    }
    return counts;
  }

  private List<Problem> problems() {
    if (problems.isEmpty()) {
      return List.of();
    }
    List<Problem> all = new ArrayList<>();
    problems.values().forEach(all::addAll);
    return Collections.unmodifiableList(all);
  }

  private Parts parts(String service) {
    return services.computeIfAbsent(service, s -> new Parts());
  }

  private static void symmetricDifference(Set<String> a, Set<String> b, Set<String> into) {
    if (a.equals(b)) {
      return;
    }
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    for (String s : all) {
      if (a.contains(s) != b.contains(s)) {
        into.add(s);
      }
    }
  }

  private static InstanceStatus.State stateOf(Instance instance, Set<String> draining) {
    if (draining.contains(instance.id())) {
      return InstanceStatus.State.DRAINING;
    }
    return instance.powerState().isServing()
        ? InstanceStatus.State.SERVING
        : InstanceStatus.State.EXCLUDED;
  }
}
