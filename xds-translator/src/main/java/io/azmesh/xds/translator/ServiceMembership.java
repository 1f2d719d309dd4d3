package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Admits instances to the services their tags name, as the mesh config says, and collects the
 * services admitted. Each instance's admission is a function of the instance and the config alone;
 * the object only remembers which services it admitted, so the next instance naming one costs a
 * lookup. Not thread-safe; one per {@link Translator} call.
 */
final class ServiceMembership {
  private final MeshConfig config;
  private final ResourceMemo memo;
  private final SortedMap<String, ServicePolicy> services;
  // Services already admitted by the config in this translation, so the next instance naming one
  // costs one hash lookup rather than the config's checks and a sorted-map insert.
  private final Map<String, ServicePolicy> admittedServices = new HashMap<>();

  /** Starts with the listed services and those gateways route to, even if nothing is in them. */
  ServiceMembership(MeshConfig config, ResourceMemo memo) {
    this.config = config;
    this.memo = memo;
    this.services = new TreeMap<>(config.services());
    config.gateways().values().stream()
        .flatMap(g -> g.namedServices().stream())
        .forEach(s -> config.policyOf(s).ifPresent(p -> services.putIfAbsent(s, p)));
  }

  /**
   * What became of one discovered instance: its status, its endpoints by service (in tag order),
   * and every service its tags name that the config admits (a cluster each, even when the instance
   * is not an endpoint of it: stopped, or a bad tag).
   */
  record Admission(
      InstanceStatus status, Map<String, PublishedEndpoint> endpoints, List<String> admitted) {}

  /**
   * Admits an instance to the services its tags name, as {@link Translator#translate} does; the
   * endpoints are returned, not collected here. A function of the instance, its state and the
   * config alone.
   */
  Admission add(Instance instance, InstanceStatus.State state) {
    List<Problem> problems = new ArrayList<>();
    List<InstanceStatus.ServiceEndpoint> published = new ArrayList<>();
    Map<String, PublishedEndpoint> endpoints = new LinkedHashMap<>(2);
    List<String> admitted = new ArrayList<>(1);
    boolean member =
        admit(
            instance,
            problems,
            admitted,
            (service, address, tags, policy) -> {
              if (state != InstanceStatus.State.EXCLUDED) {
                PublishedEndpoint endpoint = endpoint(instance, address, tags, policy, state);
                endpoints.put(service, endpoint);
                published.add(serviceEndpoint(service, endpoint));
              }
            });
    return new Admission(
        new InstanceStatus(
            instance, member ? state : InstanceStatus.State.EXCLUDED, published, problems),
        endpoints,
        admitted);
  }

  /**
   * Where an instance would be, as {@link #add} decides it, without publishing anything.
   *
   * @param serving the services a running instance serves in; empty for a stopped one
   * @param named the services its tags name that the config admits, each with a cluster
   */
  record Place(List<String> serving, List<String> named) {}

  /**
   * Where an instance would be, as {@link #add} decides it, without publishing anything; its
   * services are added as {@code add} adds them.
   */
  Place place(Instance instance) {
    List<String> serving = new ArrayList<>(1);
    List<String> named = new ArrayList<>(1);
    admit(
        instance,
        new ArrayList<>(),
        named,
        (service, address, tags, policy) -> {
          if (instance.powerState().isServing()) {
            serving.add(service);
          }
        });
    return new Place(serving, named);
  }

  /** Where an admitted instance goes: a service it is an endpoint of, with its address. */
  @FunctionalInterface
  private interface Admitted {
    void endpoint(String service, String address, InstanceTags tags, ServicePolicy policy);
  }

  /**
   * Admits an instance to the services its tags name, each to {@code admitted}; whether it is an
   * endpoint of any. Every service it names that the config admits is added, even if a bad tag
   * leaves the instance out.
   */
  private boolean admit(
      Instance instance, List<Problem> problems, List<String> services, Admitted admitted) {
    InstanceTags tags = memo.tags(instance, config.tags());
    problems.addAll(tags.problems());
    boolean member = false;
    for (String service : tags.services()) {
      Optional<ServicePolicy> policy = admitOnce(service, instance, problems);
      if (policy.isEmpty()) {
        continue;
      }
      services.add(service);
      if (!tags.usable()) {
        continue;
      }
      Optional<String> address = address(instance, service, policy.get(), problems);
      if (address.isEmpty()) {
        continue;
      }
      member = true;
      tags.healthPath()
          .flatMap(path -> healthPathProblem(instance, service, policy.get(), path))
          .ifPresent(problems::add);
      admitted.endpoint(service, address.get(), tags, policy.get());
    }
    return member;
  }

  /**
   * {@link #admit(String, Instance, List)} once per service and translation: a service admitted
   * before costs the next instance one hash lookup. An admitted service is added, even if a bad tag
   * leaves the instance out: the cluster stays put.
   */
  private Optional<ServicePolicy> admitOnce(
      String service, Instance instance, List<Problem> problems) {
    ServicePolicy known = admittedServices.get(service);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<ServicePolicy> policy = admit(service, instance, problems);
    policy.ifPresent(
        p -> {
          services.putIfAbsent(service, p);
          admittedServices.put(service, p);
        });
    return policy;
  }

  /**
   * An instance kept in one service it has left, as it was when it last served there.
   *
   * @param endpoint empty when that data no longer makes an endpoint (the config changed)
   * @param admitted whether the service gets a cluster for it: its tags still name it and the
   *     config admits it, even when no endpoint can be made
   */
  record Retention(Optional<PublishedEndpoint> endpoint, boolean admitted) {}

  /**
   * Keeps an instance in one service it has left. Its problems were reported when it was
   * discovered. A function of the instance, the service, the state and the config alone.
   */
  Retention retain(Instance instance, String service, InstanceStatus.State state) {
    InstanceTags tags = InstanceTags.read(instance, config.tags());
    List<Problem> ignored = new ArrayList<>();
    if (!tags.usable() || !tags.services().contains(service)) {
      return new Retention(Optional.empty(), false);
    }
    Optional<ServicePolicy> policy = admitOnce(service, instance, ignored);
    if (policy.isEmpty()) {
      return new Retention(Optional.empty(), false);
    }
    return new Retention(
        address(instance, service, policy.get(), ignored)
            .map(address -> endpoint(instance, address, tags, policy.get(), state)),
        true);
  }

  private static PublishedEndpoint endpoint(
      Instance instance,
      String address,
      InstanceTags tags,
      ServicePolicy policy,
      InstanceStatus.State state) {
    int port = tags.port().orElse(policy.port());
    return new PublishedEndpoint(instance, address, port, tags.weight(), state);
  }

  /** The status's view of a published endpoint; the cluster is named after the service. */
  static InstanceStatus.ServiceEndpoint serviceEndpoint(
      String service, PublishedEndpoint endpoint) {
    return new InstanceStatus.ServiceEndpoint(
        service, service, endpoint.address(), endpoint.port(), endpoint.weight(), endpoint.state());
  }

  /** Every service with its policy, by name. */
  SortedMap<String, ServicePolicy> services() {
    return services;
  }

  /**
   * A tagged health path the cluster does not check. Envoy has one check per cluster, so the path
   * is the config's: a tag that could change it would make a rolling upgrade rebuild the cluster.
   */
  private Optional<Problem> healthPathProblem(
      Instance instance, String service, ServicePolicy policy, String tagged) {
    HealthCheck check = policy.healthCheck();
    if (check.kind() == HealthCheck.Kind.HTTP && check.httpPath().equals(tagged)) {
      return Optional.empty();
    }
    String key =
        (config.services().containsKey(service) ? "services." + service : "service_defaults")
            + ".health_check";
    String checked =
        check.kind() == HealthCheck.Kind.HTTP
            ? "the cluster checks '" + check.httpPath() + "' (" + key + ".path)"
            : "the cluster has no HTTP health check ("
                + key
                + ".kind is "
                + check.kind().name().toLowerCase(Locale.ROOT)
                + ")";
    return Optional.of(
        Problem.of(
            instance.name(),
            "tag " + config.tags().healthPath(),
            tagged,
            "not the health-check path of service " + service + "; " + checked));
  }

  /** The policy of a tagged service, or empty with a problem when the config does not admit it. */
  private Optional<ServicePolicy> admit(String service, Instance instance, List<Problem> problems) {
    String field = "tag " + config.tags().service();
    if (config.gateways().containsKey(service) && !config.services().containsKey(service)) {
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
}
