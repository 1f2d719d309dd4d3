package io.azmesh.xds.server;

import io.azmesh.discovery.Instance;
import io.azmesh.xds.server.loop.ControlLoop;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.TranslationFunction;
import io.azmesh.xds.server.serving.XdsServer;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.server.testing.AckingAdsClient;
import io.azmesh.xds.server.testing.Await;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Load harness: time from a provider change to the moment every client has ACKed the new endpoints
 * version. Not a unit test; run it as documented in docs/benchmarks.md:
 *
 * <pre>
 * ./mvnw -B -q -pl xds-server -am test-compile dependency:build-classpath \
 *   -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp "xds-server/target/test-classes:xds-server/target/classes:$(cat xds-server/target/test.classpath)" \
 *   io.azmesh.xds.server.ChangeToAckLatency 100 1000 300 0
 * </pre>
 *
 * <p>Arguments: clients, endpoints (spread over services of 100), measured changes, change
 * coalescing in milliseconds. Each change moves one endpoint to another port; the next change
 * starts once every client has ACKed.
 */
public final class ChangeToAckLatency {
  private static final int ENDPOINTS_PER_SERVICE = 100;
  private static final int WARMUP_CHANGES = 20;

  private ChangeToAckLatency() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int changes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    long coalescingMillis = args.length > 3 ? Long.parseLong(args[3]) : 0;

    TestProvider provider = new TestProvider(Clock.systemUTC());
    List<Instance> instances = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      instances.add(instance(i, 8080));
    }
    provider.set(instances);
    XdsServer server =
        XdsServer.start(
            XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build(), Clock.systemUTC());
    // Notes when each endpoints version reached the server, to split refresh from fan-out.
    Map<String, Long> publishedAt = new ConcurrentHashMap<>();
    ControlLoop loop =
        ControlLoop.builder(
                provider,
                TranslationFunction.of(MeshConfig.defaults()),
                (resources, changeSeenAt) -> {
                  publishedAt.putIfAbsent(resources.versions().endpoints(), System.nanoTime());
                  server.publish(resources, changeSeenAt);
                })
            .config(
                ControlLoopConfig.builder()
                    .refreshInterval(Duration.ofMinutes(10))
                    .changeCoalescing(Duration.ofMillis(coalescingMillis))
                    .drainPeriod(Duration.ZERO)
                    .build())
            .build();
    loop.start();
    List<ManagedChannel> channels = new ArrayList<>();
    List<AckingAdsClient> adsClients = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      ManagedChannel channel =
          Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
              .build();
      channels.add(channel);
      adsClients.add(new AckingAdsClient(channel, "bench-" + c));
    }
    Await.until(Duration.ofSeconds(60), () -> loop.published().isPresent(), "first publish");
    awaitAllAcked(adsClients, endpointsVersion(loop));

    long[] total = new long[changes];
    long[] refresh = new long[changes];
    for (int change = -WARMUP_CHANGES; change < changes; change++) {
      int index = Math.floorMod(change, endpoints);
      Instance moved = instances.get(index);
      int port = moved.tags().get("mesh-port").equals("8080") ? 8081 : 8080;
      instances.set(index, instance(index, port));
      String before = endpointsVersion(loop);
      long start = System.nanoTime();
      provider.set(instances);
      Await.until(
          Duration.ofSeconds(60),
          () -> !endpointsVersion(loop).equals(before),
          "the change to be published");
      String version = endpointsVersion(loop);
      long done = awaitAllAcked(adsClients, version);
      if (change >= 0) {
        total[change] = done - start;
        refresh[change] = publishedAt.get(version) - start;
      }
    }

    System.out.printf(
        Locale.ROOT,
        "clients=%d endpoints=%d changes=%d coalescing=%dms%n"
            + "  change to last ACK: %s%n  change to publish:  %s%n",
        clients,
        endpoints,
        changes,
        coalescingMillis,
        summary(total),
        summary(refresh));

    adsClients.forEach(AckingAdsClient::close);
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    loop.close();
    server.close();
  }

  private static String summary(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        Locale.ROOT,
        "p50=%.1f ms p99=%.1f ms max=%.1f ms",
        millis(percentile(sorted, 50)),
        millis(percentile(sorted, 99)),
        millis(sorted[sorted.length - 1]));
  }

  private static Instance instance(int i, int port) {
    String name = "vm-" + i;
    return Instance.builder(
            name, name, "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256))
        .tags(
            Map.of(
                "mesh-service",
                "svc-" + (i / ENDPOINTS_PER_SERVICE),
                "mesh-port",
                String.valueOf(port)))
        .build();
  }

  private static String endpointsVersion(ControlLoop loop) {
    return loop.published().orElseThrow().resources().versions().endpoints();
  }

  /** Waits until every client ACKed the version; returns when the last one did. */
  private static long awaitAllAcked(List<AckingAdsClient> clients, String version) {
    Await.until(
        Duration.ofSeconds(60),
        () -> clients.stream().allMatch(c -> c.endpointsAckedAt(version) != null),
        "every client to ACK endpoints " + version);
    return clients.stream().mapToLong(c -> c.endpointsAckedAt(version)).max().orElseThrow();
  }

  private static long percentile(long[] sorted, int percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(rank, sorted.length - 1))];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
