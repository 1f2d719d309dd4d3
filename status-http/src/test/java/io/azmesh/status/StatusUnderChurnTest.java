package io.azmesh.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.DiscoveryStats;
import io.azmesh.discovery.Instance;
import io.azmesh.xds.server.ControlPlane;
import io.azmesh.xds.server.loop.ControlLoopConfig;
import io.azmesh.xds.server.loop.TranslationFunction;
import io.azmesh.xds.server.serving.XdsServerConfig;
import io.azmesh.xds.translator.MeshConfig;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Status readers, xDS streams and publishes all at once, for seconds: every thread keeps making
 * progress. A lock-order deadlock between them once stopped the xDS server while {@code /readyz}
 * still said 200; a watchdog here fails with a thread dump instead.
 */
class StatusUnderChurnTest {
  private static final Duration RUN = Duration.ofSeconds(20);

  /** Long enough for a slow, shared machine; a deadlocked thread never moves again at all. */
  private static final Duration STUCK = Duration.ofSeconds(45);

  private static final int STREAMS = 50;

  /** A provider whose instances the test replaces; every refresh sees the latest. */
  private static final class ChangingProvider implements DiscoveryProvider {
    private volatile List<Instance> instances = List.of();

    @Override
    public String name() {
      return "changing";
    }

    @Override
    public Discovery discover() {
      return new Discovery(
          instances, List.of(), Instant.now(), new DiscoveryStats("changing", 0, Duration.ZERO));
    }
  }

  @Test
  void statusReadsStreamsAndPublishesTogether_everyThreadKeepsMakingProgress() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ChangingProvider provider = new ChangingProvider();
    provider.instances = instances(0);
    ControlPlane plane =
        ControlPlane.builder(provider, TranslationFunction.of(MeshConfig.defaults()))
            .server(XdsServerConfig.builder().bindAddress("127.0.0.1").port(0).build())
            .loop(
                ControlLoopConfig.builder()
                    .refreshInterval(Duration.ofMinutes(10))
                    .drainPeriod(Duration.ofMillis(1))
                    .build())
            .meterRegistry(registry)
            .start();
    StatusServer status =
        new StatusServer(
            StatusServerConfig.defaults().withPort(0), plane, registry, Clock.systemUTC());
    StatusClient client = new StatusClient(status.start());
    Map<String, AtomicLong> progress = new ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    long deadline = System.nanoTime() + RUN.toNanos();
    try {
      threads.add(
          worker(
              "publisher",
              progress,
              deadline,
              round -> {
                provider.instances = instances(round);
                plane.loop().refreshNow();
                TimeUnit.MILLISECONDS.sleep(10);
              }));
      for (String path : List.of("/metrics", "/api/nodes")) {
        threads.add(
            worker(
                "scrape " + path,
                progress,
                deadline,
                round -> assertThat(client.get(path).statusCode()).isEqualTo(200)));
      }
      for (int i = 0; i < STREAMS; i++) {
        int stream = i;
        threads.add(
            worker(
                "stream " + i,
                progress,
                deadline,
                round -> reconnect(plane.port(), stream, round)));
      }
      watch(threads, progress);
      assertThat(progress.values()).allSatisfy(count -> assertThat(count.get()).isPositive());
      assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
    } finally {
      threads.forEach(Thread::interrupt);
      status.stop();
      plane.close();
    }
  }

  private static List<Instance> instances(long round) {
    List<Instance> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(
          Instance.builder("vm-" + i, "vm-" + i, "10.0.0." + (1 + (round + i) % 200))
              .tags(Map.of("mesh-service", "svc-" + (i % 2), "mesh-port", "8080"))
              .build());
    }
    return instances;
  }

  /** Opens a stream, subscribes to names it never asked for before, takes an answer, closes. */
  private static void reconnect(int port, int stream, long round) throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
    try {
      java.util.concurrent.BlockingQueue<DiscoveryResponse> responses =
          new java.util.concurrent.LinkedBlockingQueue<>();
      StreamObserver<DiscoveryRequest> requests =
          AggregatedDiscoveryServiceGrpc.newStub(channel)
              .streamAggregatedResources(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse value) {
                      responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
      Node node = Node.newBuilder().setId("churn-" + stream).build();
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl("type.googleapis.com/envoy.config.cluster.v3.Cluster")
              .build());
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment")
              .addResourceNames("svc-" + (round % 2))
              .addResourceNames("new-" + stream + "-" + round)
              .build());
      assertThat(responses.poll(STUCK.toMillis(), TimeUnit.MILLISECONDS))
          .as("a response on stream %s", stream)
          .isNotNull();
      requests.onCompleted();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  interface Round {
    void run(long round) throws Exception;
  }

  private static Thread worker(
      String name, Map<String, AtomicLong> progress, long deadline, Round work) {
    AtomicLong count = new AtomicLong();
    progress.put(name, count);
    Thread thread =
        new Thread(
            () -> {
              try {
                for (long round = 0; System.nanoTime() < deadline; round++) {
                  work.run(round);
                  count.incrementAndGet();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception | AssertionError e) {
                count.set(Long.MIN_VALUE);
                throw new AssertionError(name + " failed", e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Waits for every worker to finish its last round, failing with every thread's stack if one made
   * no progress for {@link #STUCK}.
   */
  private static void watch(List<Thread> threads, Map<String, AtomicLong> progress)
      throws InterruptedException {
    Map<String, Long> last = new ConcurrentHashMap<>();
    Map<String, Long> since = new ConcurrentHashMap<>();
    while (threads.stream().anyMatch(Thread::isAlive)) {
      TimeUnit.MILLISECONDS.sleep(500);
      long now = System.nanoTime();
      for (Map.Entry<String, AtomicLong> entry : progress.entrySet()) {
        long count = entry.getValue().get();
        if (count < 0) {
          throw new AssertionError(entry.getKey() + " failed; see its stack trace above");
        }
        Thread worker =
            threads.stream().filter(t -> t.getName().equals(entry.getKey())).findFirst().get();
        if (!worker.isAlive() || !Long.valueOf(count).equals(last.put(entry.getKey(), count))) {
          since.put(entry.getKey(), now);
        } else if (now - since.get(entry.getKey()) > STUCK.toNanos()) {
          StringBuilder dump = new StringBuilder();
          for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(info);
          }
          throw new AssertionError(
              entry.getKey() + " made no progress for " + STUCK + "; threads:\n" + dump);
        }
      }
    }
  }
}
