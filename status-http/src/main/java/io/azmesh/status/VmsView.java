package io.azmesh.status;

import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.server.MeshState;
import io.azmesh.xds.server.loop.PublishedSnapshot;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/vms}: the seed contract ({@code last_update}, {@code total_vms}, {@code
 * snapshot_version}, {@code vms[].name/public_ip/private_ip}) plus what the snapshot made of each
 * VM.
 *
 * @param lastUpdate the last successful discovery, null before the first
 * @param totalVms the number of entries in {@code vms}
 * @param snapshotVersion the published snapshot's counter, 0 before the first publish
 * @param publishedAt when that snapshot was published, null before the first
 * @param xdsVersions its content-hash versions, null before the first publish
 * @param vms every instance of the latest discovery plus those still draining or held, as the
 *     published snapshot treats them, sorted by name
 */
public record VmsView(
    Instant lastUpdate,
    int totalVms,
    long snapshotVersion,
    Instant publishedAt,
    XdsVersionsView xdsVersions,
    List<Vm> vms) {

  public VmsView {
    vms = List.copyOf(vms);
    if (totalVms != vms.size()) {
      throw new IllegalArgumentException(
          "totalVms (" + totalVms + ") must equal the number of vms (" + vms.size() + ")");
    }
  }

  /**
   * One VM. {@code public_ip}, {@code location} and {@code zone} are null when absent.
   *
   * @param state {@code serving}, {@code draining} or {@code excluded}
   * @param powerState Azure's power state code, e.g. {@code running}
   * @param kind {@code vm}, {@code scale_set_instance} or {@code static}
   * @param endpoints the service endpoints it is published as
   * @param problems why it is excluded or partly excluded, one line each
   */
  public record Vm(
      String name,
      String id,
      String publicIp,
      String privateIp,
      String location,
      String zone,
      String powerState,
      String kind,
      String state,
      List<EndpointView> endpoints,
      List<String> problems) {
    public Vm {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(privateIp, "privateIp");
      endpoints = List.copyOf(endpoints);
      problems = List.copyOf(problems);
    }

    static Vm of(InstanceStatus status) {
      Instance instance = status.instance();
      return new Vm(
          instance.name(),
          instance.id(),
          instance.publicIp().orElse(null),
          instance.privateIp(),
          instance.location().orElse(null),
          instance.zone().orElse(null),
          instance.powerState().code(),
          Label.of(instance.kind()),
          Label.of(status.state()),
          status.endpoints().stream().map(EndpointView::of).toList(),
          status.problems().stream().map(Problem::message).toList());
    }
  }

  /**
   * One endpoint a VM is published as.
   *
   * @param state {@code serving} or {@code draining}: a VM moved to another service serves there
   *     while it drains from the old one
   */
  public record EndpointView(
      String service, String cluster, String address, int port, int weight, String state) {
    static EndpointView of(InstanceStatus.ServiceEndpoint endpoint) {
      return new EndpointView(
          endpoint.service(),
          endpoint.cluster(),
          endpoint.address(),
          endpoint.port(),
          endpoint.weight(),
          Label.of(endpoint.state()));
    }
  }

  /** The view of {@code state} now. */
  public static VmsView of(MeshState state) {
    Optional<PublishedSnapshot> published = state.published();
    List<Vm> vms =
        published.map(PublishedSnapshot::instances).orElse(List.of()).stream()
            .map(Vm::of)
            .sorted(Comparator.comparing(Vm::name).thenComparing(Vm::id))
            .toList();
    return new VmsView(
        state.discovery().lastSuccess().orElse(null),
        vms.size(),
        published.map(PublishedSnapshot::snapshotVersion).orElse(0L),
        published.map(PublishedSnapshot::publishedAt).orElse(null),
        published.map(p -> XdsVersionsView.of(p.resources().versions())).orElse(null),
        vms);
  }
}
