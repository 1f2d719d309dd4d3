package io.azmesh.xds.translator;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which instances are in which service, collected during one translation. Not thread-safe; one per
 * {@link Translator#translate} call.
 */
final class ServiceMembership {
  private final MeshConfig config;
  private final ResourceMemo memo;
  private final SortedMap<String, ServicePolicy> services;
  private final Map<String, List<PublishedEndpoint>> endpoints = new HashMap<>();
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

  /** Adds an instance to the services its tags name; returns what became of it. */
  InstanceStatus add(Instance instance, InstanceStatus.State state) {
    List<Problem> problems = new ArrayList<>();
    List<InstanceStatus.ServiceEndpoint> published = new ArrayList<>();
    boolean member =
        admit(
            instance,
            problems,
            (service, address, tags, policy) -> {
              if (state != InstanceStatus.State.EXCLUDED) {
                published.add(publish(instance, service, address, tags, policy, state));
              }
            });
    return new InstanceStatus(
        instance, member ? state : InstanceStatus.State.EXCLUDED, published, problems);
  }

  /**
   * The services a running instance would serve in, as {@link #add} decides it, without publishing
   * anything; its services are added as {@code add} adds them. Empty for a stopped instance.
   */
  List<String> servingIn(Instance instance) {
    List<String> serving = new ArrayList<>(1);
    admit(
        instance,
        new ArrayList<>(),
        (service, address, tags, policy) -> {
          if (instance.powerState().isServing()) {
            serving.add(service);
          }
        });
    return serving;
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
  private boolean admit(Instance instance, List<Problem> problems, Admitted admitted) {
    InstanceTags tags = memo.tags(instance, config.tags());
    problems.addAll(tags.problems());
    boolean member = false;
    for (String service : tags.services()) {
      Optional<ServicePolicy> policy = admitOnce(service, instance, problems);
      if (policy.isEmpty()) {
        continue;
      }
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
   * Adds an instance to one service it has left, as it was when it last served there; empty when
   * that data no longer makes an endpoint (the config changed). Its problems were reported when it
   * was discovered.
   */
  Optional<InstanceStatus.ServiceEndpoint> retain(
      Instance instance, String service, InstanceStatus.State state) {
    InstanceTags tags = InstanceTags.read(instance, config.tags());
    List<Problem> ignored = new ArrayList<>();
    if (!tags.usable() || !tags.services().contains(service)) {
      return Optional.empty();
    }
    Optional<ServicePolicy> policy = admitOnce(service, instance, ignored);
    if (policy.isEmpty()) {
      return Optional.empty();
    }
    return address(instance, service, policy.get(), ignored)
        .map(address -> publish(instance, service, address, tags, policy.get(), state));
  }

  /** Keeps a service that has no instances, if the config still admits it. */
  void keep(String service) {
    if (config.gateways().containsKey(service) && !config.services().containsKey(service)) {
      return;
    }
    config.policyOf(service).ifPresent(policy -> services.putIfAbsent(service, policy));
  }

  private InstanceStatus.ServiceEndpoint publish(
      Instance instance,
      String service,
      String address,
      InstanceTags tags,
      ServicePolicy policy,
      InstanceStatus.State state) {
    int port = tags.port().orElse(policy.port());
    endpoints
        .computeIfAbsent(service, s -> new ArrayList<>())
        .add(new PublishedEndpoint(instance, address, port, tags.weight(), state));
    return new InstanceStatus.ServiceEndpoint(
        service, service, address, port, tags.weight(), state);
  }

  /** Every service with its policy, by name. */
  SortedMap<String, ServicePolicy> services() {
    return services;
  }

  List<PublishedEndpoint> endpoints(String service) {
    return endpoints.getOrDefault(service, List.of());
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
