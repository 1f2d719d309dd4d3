package io.azmesh.discovery.azure;

import static io.azmesh.discovery.azure.FakeArmConnection.SUB_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.sas.QueueSasPermission;
import com.azure.storage.queue.sas.QueueServiceSasSignatureValues;
import com.sun.net.httpserver.HttpServer;
import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.Instance;
import io.azmesh.discovery.PowerState;
import io.azmesh.discovery.Problem;
import io.azmesh.discovery.azure.events.ChangeQueueConfig;
import io.azmesh.discovery.azure.events.ChangeQueueProvider;
import io.azmesh.discovery.azure.testing.Azurite;
import io.azmesh.discovery.azure.testing.FakeArm;
import io.azmesh.discovery.azure.testing.FakeVm;
import io.azmesh.discovery.azure.testing.ResourceEvents;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change queue with real parts: Azurite as the Storage queue read by the real queue SDK, the
 * fake ARM behind the real azure provider, and messages in the shape of Event Grid's documented
 * resource events. The test plays the control loop: on a signal it discovers, then says the
 * discovery was applied.
 */
class ChangeQueueProviderTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger QUEUES = new AtomicInteger();
  private static Azurite azurite;

  private FakeArm fake;
  private FakeArmConnection arm;
  private QueueClient queue;
  private final List<DiscoveryProvider> providers = new ArrayList<>();
  private final BlockingQueue<Instant> signals = new LinkedBlockingQueue<>();
  private final FakeVm web0 = vm("web-0", "running", "10.0.0.4", "web");
  private final FakeVm web1 = vm("web-1", "running", "10.0.0.5", "web");

  @BeforeAll
  static void startAzurite() {
    azurite = Azurite.startOrSkip();
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @BeforeEach
  void start() {
    fake = FakeArm.start();
    arm = new FakeArmConnection(fake);
    fake.add(web0, web1);
    queue =
        new QueueClientBuilder()
            .connectionString(azurite.connectionString())
            .queueName("changes-" + QUEUES.incrementAndGet())
            .buildClient();
    queue.create();
  }

  @AfterEach
  void stop() {
    providers.forEach(DiscoveryProvider::close);
    fake.close();
  }

  private static FakeVm vm(String name, String power, String ip, String service) {
    return FakeVm.builder(SUB_A, "rg-app", name)
        .powerState(power)
        .privateIp(ip)
        .tags(Map.of("mesh-service", service))
        .build();
  }

  /** The queue's URL with a SAS token that may read and delete (process) its messages. */
  private String sasUrl(QueueSasPermission permission) {
    String sas =
        queue.generateSas(
            new QueueServiceSasSignatureValues(OffsetDateTime.now().plusHours(1), permission));
    return queue.getQueueUrl() + "?" + sas;
  }

  private ChangeQueueConfig config() {
    return ChangeQueueConfig.of(
            sasUrl(new QueueSasPermission().setReadPermission(true).setProcessPermission(true)))
        .withEmptyPoll(Duration.ofMillis(50));
  }

  private ChangeQueueProvider provider(ChangeQueueConfig config) {
    ChangeQueueProvider provider =
        ChangeQueueProvider.builder(
                arm.provider(arm.config().resourceGroup("rg-app").build()),
                List.of(new ListingScope(SUB_A, java.util.Optional.of("rg-app"))),
                config)
            .build();
    providers.add(provider);
    return provider;
  }

  private ChangeQueueProvider started(ChangeQueueConfig config) {
    ChangeQueueProvider provider = provider(config);
    provider.onChange(() -> signals.add(Instant.now()));
    return provider;
  }

  /** What the control loop does on a signal. */
  private static Discovery refresh(ChangeQueueProvider provider) throws Exception {
    Discovery discovery = provider.discover();
    provider.applied(discovery);
    return discovery;
  }

  private void awaitSignal() throws InterruptedException {
    assertThat(signals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("a refresh signal within " + WAIT)
        .isNotNull();
  }

  private static ChangeFeedStatus awaitFeed(
      ChangeQueueProvider provider, Predicate<ChangeFeedStatus> condition) throws Exception {
    return await(() -> provider.changeFeed().orElseThrow(), condition);
  }

  private static <T> T await(Supplier<T> read, Predicate<T> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T value = read.get();
    while (!condition.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still " + value + " after " + WAIT);
      }
      TimeUnit.MILLISECONDS.sleep(20);
      value = read.get();
    }
    return value;
  }

  private int messagesInQueue() {
    return queue.getProperties().getApproximateMessagesCount();
  }

  private static Instance named(Discovery discovery, String name) {
    return discovery.instances().stream()
        .filter(i -> i.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + discovery.instances()));
  }

  private void change(FakeVm now) {
    fake.remove(now.id());
    fake.add(now);
  }

  @Test
  void deallocatedVm_refreshesAtOnceAndItsMessageIsDeletedOnceTheRefreshIsApplied()
      throws Exception {
    ChangeQueueProvider provider = started(config());
    refresh(provider);
    change(vm("web-0", "deallocated", "10.0.0.4", "web"));

    queue.sendMessage(ResourceEvents.action(web0.id(), "deallocate").eventGridSchema());
    awaitSignal();
    Discovery discovery = provider.discover();

    assertThat(named(discovery, "web-0").powerState()).isEqualTo(PowerState.DEALLOCATED);
    assertThat(messagesInQueue()).as("held until the refresh is applied").isEqualTo(1);
    provider.applied(discovery);
    await(this::messagesInQueue, n -> n == 0);
    assertThat(provider.changeFeed().orElseThrow())
        .extracting(ChangeFeedStatus::state, ChangeFeedStatus::eventsRead)
        .containsExactly(ChangeFeedStatus.State.READING, 1L);
  }

  enum Encoding {
    EVENT_GRID_PLAIN,
    EVENT_GRID_BASE64,
    CLOUD_EVENTS_PLAIN,
    CLOUD_EVENTS_BASE64;

    String encode(ResourceEvents event) {
      return switch (this) {
        case EVENT_GRID_PLAIN -> event.eventGridSchema();
        case EVENT_GRID_BASE64 -> ResourceEvents.base64(event.eventGridSchema());
        case CLOUD_EVENTS_PLAIN -> event.cloudEventsSchema();
        case CLOUD_EVENTS_BASE64 -> ResourceEvents.base64(event.cloudEventsSchema());
      };
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void eachSchemaAndEncoding_startedVmServesAfterItsEvent(Encoding encoding) throws Exception {
    change(vm("web-1", "deallocated", "10.0.0.5", "web"));
    ChangeQueueProvider provider = started(config());
    refresh(provider);
    change(web1);

    queue.sendMessage(encoding.encode(ResourceEvents.action(web1.id(), "start")));
    awaitSignal();

    assertThat(named(refresh(provider), "web-1").powerState()).isEqualTo(PowerState.RUNNING);
    assertThat(provider.changeFeed().orElseThrow().eventsRead()).isEqualTo(1);
  }

  @Test
  void scaleOutOf50Vms_isOneRefresh() throws Exception {
    List<FakeVm> added = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      added.add(vm("scale-" + i, "running", "10.0.1." + (i + 10), "web"));
    }
    fake.add(added.toArray(FakeVm[]::new));
    for (FakeVm vm : added) {
      queue.sendMessage(ResourceEvents.written(vm.id()).eventGridSchema());
    }
    // A window far longer than a few receives, so the assertion is about coalescing, not speed.
    ChangeQueueProvider provider = started(config().withCoalescing(Duration.ofSeconds(2)));

    awaitSignal();
    Discovery discovery = refresh(provider);

    assertThat(discovery.instances()).hasSize(52);
    ChangeFeedStatus feed = awaitFeed(provider, f -> f.eventsRead() == 50);
    assertThat(feed.refreshesRequested()).isEqualTo(1);
    assertThat(signals).isEmpty();
    await(this::messagesInQueue, n -> n == 0);
  }

  @Test
  void eventsOutOfScopeOfOtherTypesOrResources_areDeletedWithoutARefresh() throws Exception {
    String group = "/subscriptions/" + SUB_A + "/resourceGroups/rg-app";
    queue.sendMessage(
        ResourceEvents.written(
                "/subscriptions/"
                    + SUB_A
                    + "/resourceGroups/rg-other/providers/"
                    + "Microsoft.Compute/virtualMachines/other-0")
            .eventGridSchema());
    queue.sendMessage(
        ResourceEvents.written(
                "/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-app/"
                    + "providers/Microsoft.Compute/virtualMachines/web-0")
            .eventGridSchema());
    queue.sendMessage(
        ResourceEvents.of(
                ResourceEvents.WRITE,
                group + "/providers/Microsoft.Network/networkInterfaces/web-0-nic",
                "Microsoft.Network/networkInterfaces/write")
            .eventGridSchema());
    queue.sendMessage(
        ResourceEvents.of(
                "Microsoft.Resources.ResourceWriteFailure",
                web0.id(),
                "Microsoft.Compute/virtualMachines/write")
            .cloudEventsSchema());
    queue.sendMessage(ResourceEvents.written(web1.id()).eventGridSchema());
    ChangeQueueProvider provider = started(config());

    awaitSignal();
    refresh(provider);

    ChangeFeedStatus feed = awaitFeed(provider, f -> f.eventsIgnored() == 4);
    assertThat(feed.eventsRead()).isEqualTo(1);
    assertThat(feed.refreshesRequested()).isEqualTo(1);
    await(this::messagesInQueue, n -> n == 0);
  }

  @Test
  void duplicateAndReplayedEvents_areIgnored() throws Exception {
    ChangeQueueProvider provider = started(config());
    ResourceEvents retagged = ResourceEvents.written(web0.id());
    queue.sendMessage(retagged.eventGridSchema());
    awaitSignal();
    refresh(provider);

    // Event Grid delivers at least once: the same event again, and one from before the refresh.
    queue.sendMessage(retagged.eventGridSchema());
    queue.sendMessage(
        ResourceEvents.written(web1.id())
            .at(Instant.now().minus(Duration.ofMinutes(5)))
            .cloudEventsSchema());
    ResourceEvents sentinel = ResourceEvents.deleted(web1.id());
    queue.sendMessage(sentinel.eventGridSchema());
    awaitSignal();

    ChangeFeedStatus feed = awaitFeed(provider, f -> f.eventsIgnored() == 2);
    assertThat(feed.eventsRead()).isEqualTo(2);
    assertThat(feed.refreshesRequested()).isEqualTo(2);
  }

  @Test
  void messagesThatAreNotEvents_areDeletedCountedAndAProblemAndReadingGoesOn() throws Exception {
    ChangeQueueProvider provider = started(config());
    queue.sendMessage("{\"subject\": ");
    queue.sendMessage(ResourceEvents.base64("hello"));
    queue.sendMessage("{\"hello\": \"queue\"}");
    queue.sendMessage(ResourceEvents.action(web0.id(), "restart").eventGridSchema());

    awaitSignal();
    ChangeFeedStatus feed = awaitFeed(provider, f -> f.messagesRejected() == 3);
    Discovery discovery = refresh(provider);

    assertThat(feed.eventsRead()).isEqualTo(1);
    assertThat(discovery.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.subject()).isEqualTo("change queue " + queue.getQueueUrl());
              assertThat(p.field()).startsWith("message ");
              assertThat(p.reason())
                  .startsWith("neither the Event Grid schema (eventType) nor CloudEvents 1.0")
                  .contains("; deleted (3 such messages since start, the last at ");
            });
    await(this::messagesInQueue, n -> n == 0);
  }

  @Test
  void deletedQueue_pollsAtTheShorterIntervalWithAProblemUntilItIsBack() throws Exception {
    ChangeQueueProvider provider =
        started(
            config()
                .withFallbackRefresh(Duration.ofMillis(200))
                .withMaxBackoff(Duration.ofMillis(100)));
    awaitFeed(provider, f -> f.state() == ChangeFeedStatus.State.READING);

    queue.delete();
    ChangeFeedStatus failing =
        awaitFeed(provider, f -> f.state() == ChangeFeedStatus.State.FAILING);
    // Polling goes on: the reader signals on the fallback interval while the queue is gone.
    signals.clear();
    awaitSignal();
    awaitSignal();
    Discovery discovery = provider.discover();

    assertThat(failing.cause().orElseThrow()).startsWith("not found: HTTP 404 QueueNotFound");
    assertThat(discovery.problems())
        .extracting(Problem::message)
        .singleElement()
        .asString()
        .startsWith("change queue " + queue.getQueueUrl() + ": state is 'failing', not found:")
        .endsWith("; discovery polls every PT0.2S until it answers");
    queue.create();
    ChangeFeedStatus back = awaitFeed(provider, f -> f.state() == ChangeFeedStatus.State.READING);
    assertThat(back.failedAttempts()).isZero();
    assertThat(provider.discover().problems()).isEmpty();
  }

  @Test
  void sasThatMayNotProcessMessages_isForbidden() throws Exception {
    ChangeQueueProvider provider =
        started(
            ChangeQueueConfig.of(sasUrl(new QueueSasPermission().setAddPermission(true)))
                .withEmptyPoll(Duration.ofMillis(50)));

    ChangeFeedStatus feed = awaitFeed(provider, f -> f.state() == ChangeFeedStatus.State.FAILING);

    assertThat(feed.cause().orElseThrow()).startsWith("forbidden: HTTP 403");
    assertThat(feed.source()).isEqualTo(queue.getQueueUrl()).doesNotContain("sig=");
  }

  @Test
  void queueNobodyAnswers_isUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url =
        "http://127.0.0.1:" + port + "/" + Azurite.ACCOUNT + "/changes?sv=2020-08-04&sig=x";
    ChangeQueueProvider provider = started(ChangeQueueConfig.of(url));

    ChangeFeedStatus feed = awaitFeed(provider, f -> f.state() == ChangeFeedStatus.State.FAILING);

    assertThat(feed.cause().orElseThrow()).startsWith("unreachable: ");
  }

  @Test
  void queueAnsweringServerBusy_isThrottled() throws Exception {
    // Azure Storage's documented answer when it throttles: 503 with error code ServerBusy.
    HttpServer busy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    busy.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code>"
                      + "<Message>Ingress is over the account limit.</Message></Error>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("x-ms-error-code", "ServerBusy");
          exchange.getResponseHeaders().add("Content-Type", "application/xml");
          exchange.sendResponseHeaders(503, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    busy.start();
    try {
      String url =
          "http://127.0.0.1:"
              + busy.getAddress().getPort()
              + "/"
              + Azurite.ACCOUNT
              + "/changes?sv=2020-08-04&sig=x";
      ChangeQueueProvider provider = started(ChangeQueueConfig.of(url));

      ChangeFeedStatus feed = awaitFeed(provider, f -> f.state() == ChangeFeedStatus.State.FAILING);

      assertThat(feed.cause().orElseThrow()).startsWith("throttled: HTTP 503 ServerBusy");
    } finally {
      busy.stop(0);
    }
  }

  @Test
  void restartedReplica_readsWhatTheStoppedOneLeftUndeleted() throws Exception {
    ChangeQueueConfig shortVisibility = config().withVisibilityTimeout(Duration.ofSeconds(1));
    ChangeQueueProvider first = started(shortVisibility);
    queue.sendMessage(ResourceEvents.deleted(web1.id()).eventGridSchema());
    awaitSignal();
    // Stopped before its refresh was applied: the message stays in the queue.
    first.close();
    fake.remove(web1.id());
    queue.sendMessage(ResourceEvents.written(web0.id()).eventGridSchema());

    ChangeQueueProvider second = started(shortVisibility);
    ChangeFeedStatus feed = awaitFeed(second, f -> f.eventsRead() == 2);
    awaitSignal();
    Discovery discovery = refresh(second);

    assertThat(feed.eventsRead()).isEqualTo(2);
    assertThat(discovery.instances()).extracting(Instance::name).containsExactly("web-0");
    await(this::messagesInQueue, n -> n == 0);
  }

  @Test
  void changeNoEventAnnounced_isCountedAsUnannounced() throws Exception {
    ChangeQueueProvider provider = started(config());
    awaitFeed(provider, f -> f.state() == ChangeFeedStatus.State.READING);
    refresh(provider);

    change(vm("web-0", "running", "10.0.0.4", "api"));
    refresh(provider);
    assertThat(provider.changeFeed().orElseThrow().unannouncedChanges()).isEqualTo(1);

    change(vm("web-1", "deallocated", "10.0.0.5", "web"));
    queue.sendMessage(ResourceEvents.action(web1.id(), "deallocate").eventGridSchema());
    awaitSignal();
    refresh(provider);
    assertThat(provider.changeFeed().orElseThrow().unannouncedChanges()).isEqualTo(1);
  }

  @Test
  void heldMessage_isTheOldestMessageUntilItsRefreshIsAppliedThenDeleted() throws Exception {
    ChangeQueueProvider provider = started(config());
    queue.sendMessage(ResourceEvents.written(web0.id()).eventGridSchema());
    awaitSignal();
    Discovery discovery = provider.discover();

    assertThat(provider.changeFeed().orElseThrow().oldestMessageAge()).isPresent();
    provider.applied(discovery);
    await(() -> provider.changeFeed().orElseThrow().oldestMessageAge(), Optional::isEmpty);
    // The reader lets go of the message, then deletes it: the queue empties just after.
    await(this::messagesInQueue, count -> count == 0);
  }
}
