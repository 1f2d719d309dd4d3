package io.azmesh.status;

import com.google.protobuf.UInt32Value;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.Problem;
import io.azmesh.xds.InstanceStatus;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.server.TranslationFunction;
import io.azmesh.xds.server.TranslationResult;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A deliberately small translation for feeding the real control loop: every running instance is an
 * endpoint of cluster {@code app} on port 8080, served to proxyless gRPC clients through an API
 * listener {@code app}; others are excluded with a problem. The production translator is the
 * translator module's; this one only has to be pure and acceptable to grpc-java's xDS client.
 */
final class OneClusterTranslation implements TranslationFunction {

  static final int PORT = 8080;

  @Override
  public TranslationResult translate(List<Instance> instances, Set<String> drainingInstanceIds) {
    // grpc-java ignores localities without a weight.
    LocalityLbEndpoints.Builder endpoints =
        LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(1));
    List<InstanceStatus> statuses = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Instance instance : instances) {
      boolean draining = drainingInstanceIds.contains(instance.id());
      if (!draining && !instance.powerState().isServing()) {
        Problem problem =
            Problem.of(
                instance.name(),
                "power_state",
                instance.powerState().code(),
                "only running instances serve");
        problems.add(problem);
        statuses.add(
            new InstanceStatus(
                instance, InstanceStatus.State.EXCLUDED, List.of(), List.of(problem)));
        continue;
      }
      endpoints.addLbEndpoints(
          MeshFixtures.endpoint(
              instance.privateIp(), draining ? HealthStatus.DRAINING : HealthStatus.HEALTHY));
      statuses.add(
          new InstanceStatus(
              instance,
              draining ? InstanceStatus.State.DRAINING : InstanceStatus.State.SERVING,
              List.of(
                  new InstanceStatus.ServiceEndpoint("app", "app", instance.privateIp(), PORT, 1)),
              List.of()));
    }
    XdsResources resources =
        XdsResources.of(
            List.of(MeshFixtures.edsCluster("app")),
            List.of(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName("app")
                    .addEndpoints(endpoints)
                    .build()),
            List.of(MeshFixtures.apiListener("app", MeshFixtures.inlineRoutes("app"))),
            List.of());
    return new TranslationResult(resources, statuses, problems);
  }
}
