package io.azmesh.benchmarks;

import io.azmesh.xds.DeterministicBytes;
import io.azmesh.xds.ResourceDigests;
import io.azmesh.xds.XdsResources;
import io.azmesh.xds.translator.MeshConfig;
import io.azmesh.xds.translator.Translator;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The versions of a snapshot ({@code XdsResources.of}) after a one-endpoint change, with the
 * digests of the previous call remembered (what the control loop does), against computing them from
 * scratch and against hashing every resource's bytes, which is what each call did before issue 25
 * (serialization was already remembered; the bytes here are serialized in setup).
 *
 * <pre>
 * ./mvnw -B -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar VersionsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VersionsBenchmark {

  /** Instances and services: 10,000 in 500 and 50,000 in 2,500, as in issue 25. */
  @Param({"10000/500", "50000/2500"})
  public String fleet;

  private XdsResources resources;
  private List<ClusterLoadAssignment> changed;
  private List<byte[]> bytes;
  private final ResourceDigests digests = new ResourceDigests();
  private boolean flip;

  @Setup
  public void setUp() {
    String[] sizes = fleet.split("/");
    resources =
        new Translator()
            .translate(
                MeshConfig.defaults(),
                MeshWorld.of(Integer.parseInt(sizes[0]), Integer.parseInt(sizes[1]), 42),
                Set.of())
            .resources();
    // The same assignments with one endpoint fewer in the middle one.
    changed = new ArrayList<>(resources.endpoints());
    int middle = changed.size() / 2;
    ClusterLoadAssignment one = changed.get(middle);
    LocalityLbEndpoints locality = one.getEndpoints(0);
    changed.set(
        middle,
        one.toBuilder()
            .setEndpoints(
                0, locality.toBuilder().removeLbEndpoints(locality.getLbEndpointsCount() - 1))
            .build());
    bytes = new ArrayList<>();
    resources.clusters().forEach(r -> bytes.add(DeterministicBytes.of(r)));
    resources.endpoints().forEach(r -> bytes.add(DeterministicBytes.of(r)));
    resources.listeners().forEach(r -> bytes.add(DeterministicBytes.of(r)));
    resources.routes().forEach(r -> bytes.add(DeterministicBytes.of(r)));
    of(resources.endpoints(), digests);
  }

  /** One ClusterLoadAssignment differs from the previous call's, alternately. */
  @Benchmark
  public XdsResources versionsAfterOneChange() {
    flip = !flip;
    return of(flip ? changed : resources.endpoints(), digests);
  }

  /** Every resource serialized and hashed. */
  @Benchmark
  public XdsResources versionsFromScratch() {
    return of(resources.endpoints(), new ResourceDigests());
  }

  /**
   * SHA-256 over every resource's bytes, and each assignment's once more: the hashing each call did
   * before issue 25, without the sorting and the rest of the call.
   */
  @Benchmark
  public void hashEveryResourcesBytes(Blackhole sink) throws NoSuchAlgorithmException {
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (byte[] resource : bytes) {
      all.update(resource);
    }
    int assignments = resources.endpoints().size();
    int first = resources.clusters().size();
    for (int i = first; i < first + assignments; i++) {
      sink.consume(MessageDigest.getInstance("SHA-256").digest(bytes.get(i)));
    }
    sink.consume(all.digest());
  }

  private XdsResources of(List<ClusterLoadAssignment> endpoints, ResourceDigests with) {
    return XdsResources.of(
        resources.clusters(), endpoints, resources.listeners(), resources.routes(), with);
  }
}
