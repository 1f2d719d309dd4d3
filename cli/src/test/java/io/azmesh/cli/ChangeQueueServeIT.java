package io.azmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.sas.QueueSasPermission;
import com.azure.storage.queue.sas.QueueServiceSasSignatureValues;
import io.azmesh.discovery.azure.testing.Azurite;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeVm;
import io.azmesh.discovery.azure.testing.ResourceEvents;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl serve --provider azure --change-queue URL --refresh 5m} from the shaded jar,
 * against the fake ARM and Azurite: each kind of change to a VM, announced by its Event Grid event
 * in the queue, reaches a raw ADS stream (and is ACKed) long before the 5-minute refresh.
 *
 * <p>Also the benchmark of docs/benchmarks.md: {@code -Dazmesh.changeQueue.rounds=N} repeats the
 * five changes N times, and the test prints the event-to-ACK latencies, the ARM requests per
 * refresh and what a burst of 200 events costs.
 */
class ChangeQueueServeIT {
  private static final Path JAR = Path.of(System.getProperty("meshctl.jar", "target/meshctl.jar"));
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000000a";
  private static final Pattern SERVING =
      Pattern.compile("serving: discovery by azure, xDS on (\\S+):(\\d+), status API on (\\S+)");

  /** Far below the 5-minute refresh: a change seen within it came through the queue. */
  private static final Duration WITHIN = Duration.ofSeconds(30);

  /** Time to send the burst's 200 messages before they all become visible. */
  private static final Duration BURST_SENDING = Duration.ofSeconds(40);

  @TempDir Path dir;

  enum Change {
    DEALLOCATE,
    START,
    RETAG,
    DELETE,
    ADD
  }

  private static FakeVm vm(String name, String ip, String power, Map<String, String> extraTags) {
    Map<String, String> tags = new HashMap<>(Map.of("mesh-service", "web", "mesh-port", "8080"));
    tags.putAll(extraTags);
    return FakeVm.builder(SUBSCRIPTION, "rg-app", name)
        .powerState(power)
        .privateIp(ip)
        .tags(tags)
        .build();
  }

  @Test
  void serve_eachKindOfChangeReachesARawAdsStreamThroughTheQueue() throws Exception {
    int rounds = Integer.getInteger("azmesh.changeQueue.rounds", 1);
    try (Azurite azurite = Azurite.startOrSkip();
        FakeArm fake = FakeArm.start()) {
      fake.add(
          vm("web-0", "10.0.0.4", "running", Map.of()),
          vm("web-1", "10.0.0.5", "running", Map.of()));
      QueueClient queue =
          new QueueClientBuilder()
              .connectionString(azurite.connectionString())
              .queueName("replica-0")
              .buildClient();
      queue.create();
      String sas =
          queue.generateSas(
              new QueueServiceSasSignatureValues(
                  OffsetDateTime.now().plusHours(2),
                  new QueueSasPermission().setReadPermission(true).setProcessPermission(true)));
      try (Serve serve = Serve.start(fake, queue.getQueueUrl() + "?" + sas, dir);
          SotwAdsSession session = SotwAdsSession.open(serve.xdsPort, "change-queue-it")) {
        SotwAdsSession.Held held = session.sync();
        List<String> edsNames = held.names(AdsResourceNames.ENDPOINT_TYPE_URL);
        int armPerRefresh = serve.armRequestsPerRefresh(fake);

        Map<Change, List<Long>> latencies = new EnumMap<>(Change.class);
        String current = "web-1";
        String ip = "10.0.0.5";
        for (int round = 0; round < rounds; round++) {
          String id = vm(current, ip, "running", Map.of()).id();
          String at = ip;
          record(
              latencies,
              Change.DEALLOCATE,
              changeAndAwait(
                  session,
                  edsNames,
                  () -> {
                    replace(fake, vm(current0(id), at, "deallocated", Map.of()));
                    queue.sendMessage(ResourceEvents.action(id, "deallocate").eventGridSchema());
                  },
                  eps -> eps.get(at) != null && eps.get(at).health() == HealthStatus.DRAINING));
          record(
              latencies,
              Change.START,
              changeAndAwait(
                  session,
                  edsNames,
                  () -> {
                    replace(fake, vm(current0(id), at, "running", Map.of()));
                    queue.sendMessage(ResourceEvents.action(id, "start").cloudEventsSchema());
                  },
                  eps -> eps.get(at) != null && eps.get(at).health() == HealthStatus.HEALTHY));
          int weight = 2 + round % 5;
          record(
              latencies,
              Change.RETAG,
              changeAndAwait(
                  session,
                  edsNames,
                  () -> {
                    replace(
                        fake, vm(current0(id), at, "running", Map.of("mesh-weight", "" + weight)));
                    queue.sendMessage(
                        ResourceEvents.base64(ResourceEvents.written(id).eventGridSchema()));
                  },
                  eps -> eps.get(at) != null && eps.get(at).weight() == weight));
          record(
              latencies,
              Change.DELETE,
              changeAndAwait(
                  session,
                  edsNames,
                  () -> {
                    fake.remove(id);
                    queue.sendMessage(ResourceEvents.deleted(id).eventGridSchema());
                  },
                  eps -> eps.get(at) != null && eps.get(at).health() == HealthStatus.DRAINING));
          String next = "new-" + round;
          String nextIp = "10.0.2." + (round % 250 + 1);
          FakeVm added = vm(next, nextIp, "running", Map.of());
          record(
              latencies,
              Change.ADD,
              changeAndAwait(
                  session,
                  edsNames,
                  () -> {
                    fake.add(added);
                    queue.sendMessage(ResourceEvents.written(added.id()).cloudEventsSchema());
                  },
                  eps ->
                      eps.get(nextIp) != null && eps.get(nextIp).health() == HealthStatus.HEALTHY));
          current = next;
          ip = nextIp;
        }
        String burst = burst(serve, fake, queue, vm(current, ip, "running", Map.of()).id());
        System.out.println(report(latencies, armPerRefresh, burst));
        for (Map.Entry<Change, List<Long>> entry : latencies.entrySet()) {
          assertThat(entry.getValue())
              .as(entry.getKey() + " event to ACK, ms")
              .allMatch(ms -> ms < WITHIN.toMillis());
        }
      }
    }
  }

  private static String current0(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }

  private static void replace(FakeArm fake, FakeVm vm) {
    fake.remove(vm.id());
    fake.add(vm);
  }

  private static void record(Map<Change, List<Long>> latencies, Change change, long millis) {
    latencies.computeIfAbsent(change, c -> new ArrayList<>()).add(millis);
  }

  /** An endpoint as a proxy holds it. */
  record Endpoint(HealthStatus health, int weight) {}

  interface Action {
    void run() throws Exception;
  }

  /**
   * Makes the change, enqueues its event, and returns the milliseconds from just before the event
   * was enqueued to the client's ACK of the EDS response that shows the change.
   */
  private static long changeAndAwait(
      SotwAdsSession session,
      List<String> edsNames,
      Action change,
      Predicate<Map<String, Endpoint>> shows)
      throws Exception {
    long start = System.nanoTime();
    change.run();
    long deadline = start + WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      DiscoveryResponse response = session.events().nextResponse();
      boolean eds = response.getTypeUrl().equals(AdsResourceNames.ENDPOINT_TYPE_URL);
      session.ack(response, eds ? edsNames : List.of());
      if (eds && shows.test(endpoints(response))) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      }
    }
    throw new AssertionError("the change did not reach the stream within " + WITHIN);
  }

  private static Map<String, Endpoint> endpoints(DiscoveryResponse response) {
    Map<String, Endpoint> byIp = new HashMap<>();
    for (var any : response.getResourcesList()) {
      ClusterLoadAssignment cla = AdsResourceNames.unpack(any, ClusterLoadAssignment.class);
      for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
        for (LbEndpoint lb : locality.getLbEndpointsList()) {
          byIp.put(
              lb.getEndpoint().getAddress().getSocketAddress().getAddress(),
              new Endpoint(
                  lb.getHealthStatus(),
                  lb.hasLoadBalancingWeight() ? lb.getLoadBalancingWeight().getValue() : 1));
        }
      }
    }
    return byIp;
  }

  /**
   * 200 events for one VM that become visible in the queue within about a second (Azure Storage
   * counts visibility in whole seconds), then what they cost once all were read. Sending 200
   * messages to Azurite takes longer than a second here, so each is sent invisible until the same
   * moment.
   */
  private static String burst(Serve serve, FakeArm fake, QueueClient queue, String id)
      throws Exception {
    double refreshesBefore = serve.metric("azmesh_change_queue_refreshes_total");
    double readBefore = serve.metric("azmesh_change_queue_events_total{outcome=\"read\"}");
    double ignoredBefore = serve.metric("azmesh_change_queue_events_total{outcome=\"ignored\"}");
    int armBefore = fake.armRequests().size();
    java.time.Instant visibleAt = java.time.Instant.now().plus(BURST_SENDING);
    java.util.concurrent.ExecutorService senders =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sent.add(
            senders.submit(
                () -> {
                  Duration hidden = Duration.between(java.time.Instant.now(), visibleAt);
                  assertThat(hidden).as("sent before the burst is due").isPositive();
                  queue.sendMessageWithResponse(
                      ResourceEvents.written(id).eventGridSchema(),
                      Duration.ofSeconds((hidden.toMillis() + 999) / 1000),
                      null,
                      null,
                      null);
                }));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
    long deadline = System.nanoTime() + BURST_SENDING.plus(WITHIN).toNanos();
    while (serve.metric("azmesh_change_queue_events_total{outcome=\"read\"}")
            + serve.metric("azmesh_change_queue_events_total{outcome=\"ignored\"}")
            - readBefore
            - ignoredBefore
        < 200) {
      assertThat(System.nanoTime()).as("200 events read within " + WITHIN).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50);
    }
    // The last refresh may still be running; its requests count too.
    while (queue.getProperties().getApproximateMessagesCount() > 0) {
      assertThat(System.nanoTime()).as("queue emptied within " + WITHIN).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50);
    }
    double refreshes = serve.metric("azmesh_change_queue_refreshes_total") - refreshesBefore;
    return "burst: 200 events visible within 1 s -> "
        + (long) refreshes
        + " refreshes, "
        + (fake.armRequests().size() - armBefore)
        + " ARM requests";
  }

  private static String report(Map<Change, List<Long>> latencies, int armPerRefresh, String burst) {
    StringBuilder out = new StringBuilder("change-queue benchmark\n");
    List<Long> all = new ArrayList<>();
    latencies.forEach(
        (change, ms) -> {
          all.addAll(ms);
          out.append(String.format("  %-10s %s%n", change, summary(ms)));
        });
    out.append(String.format("  %-10s %s%n", "ALL", summary(all)));
    out.append("  ARM requests per refresh: ").append(armPerRefresh).append('\n');
    out.append("  ").append(burst);
    return out.toString();
  }

  private static String summary(List<Long> ms) {
    List<Long> sorted = ms.stream().sorted().toList();
    return "n="
        + sorted.size()
        + " p50="
        + sorted.get((int) Math.ceil(sorted.size() * 0.50) - 1)
        + "ms p99="
        + sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)
        + "ms max="
        + sorted.get(sorted.size() - 1)
        + "ms";
  }

  /** The serve process, its log read as it comes. */
  private static final class Serve implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final int xdsPort;
    private final URI status;

    private Serve(Process process) throws InterruptedException {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  lines.add("log unreadable: " + e);
                }
              },
              "serve-log");
      reader.setDaemon(true);
      reader.start();
      Matcher serving = awaitLine(SERVING);
      xdsPort = Integer.parseInt(serving.group(2));
      status = URI.create(serving.group(3));
    }

    static Serve start(FakeArm fake, String queueUrl, Path dir) throws Exception {
      assertThat(JAR).as("the shaded jar is built by the package phase").exists();
      ProcessBuilder builder =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Djavax.net.ssl.trustStore=" + fake.writeTrustStore(dir),
              "-Djavax.net.ssl.trustStorePassword=" + FakeArm.TRUST_STORE_PASSWORD,
              "-Djavax.net.ssl.trustStoreType=PKCS12",
              "-jar",
              JAR.toString(),
              "serve",
              "--provider",
              "azure",
              "--subscription",
              SUBSCRIPTION,
              "--resource-group",
              "rg-app",
              "--arm-endpoint",
              fake.endpoint().toString(),
              "--change-queue",
              queueUrl,
              "--refresh",
              "5m",
              "--state-dir",
              dir.resolve("state").toString(),
              "--xds-bind",
              "127.0.0.1",
              "--xds-port",
              "0",
              "--status-bind",
              "127.0.0.1",
              "--status-port",
              "0");
      builder.environment().put("IDENTITY_ENDPOINT", fake.identityEndpoint().toString());
      builder.environment().put("IDENTITY_HEADER", fake.identityHeader());
      Process process =
          builder
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      return new Serve(process);
    }

    Matcher awaitLine(Pattern pattern) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new AssertionError(
              "serve logged no line matching "
                  + pattern
                  + "; it logged:\n"
                  + String.join("\n", seen));
        }
        seen.add(line);
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher;
        }
      }
    }

    /** ARM requests of one refresh: the first one's, read once the first snapshot is served. */
    int armRequestsPerRefresh(FakeArm fake) {
      return fake.armRequests().size();
    }

    double metric(String series) throws IOException, InterruptedException {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(status.resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString());
      for (String line : response.body().lines().toList()) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1));
        }
      }
      throw new AssertionError("no series " + series + " in /metrics");
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
