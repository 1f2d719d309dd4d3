package io.azmesh.xds.server.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.azmesh.discovery.ChangeFeedStatus;
import io.azmesh.discovery.Discovery;
import io.azmesh.discovery.DiscoveryException;
import io.azmesh.discovery.DiscoveryProvider;
import io.azmesh.discovery.Instance;
import io.azmesh.xds.server.testing.MutableClock;
import io.azmesh.xds.server.testing.TestProvider;
import io.azmesh.xds.translator.MeshConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop and a provider's change feed: applied discoveries, and the feed in the events. */
class ControlLoopChangeFeedTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String QUEUE = "https://meshevents.queue.core.windows.net/replica-0";

  private final MutableClock clock = new MutableClock(START);
  private final FeedProvider provider = new FeedProvider(new TestProvider(clock));
  private final EventLog events = new EventLog(clock, EventLog.DEFAULT_CAPACITY);
  private ControlLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  /** A provider with a change feed the test sets, remembering what it was told was applied. */
  private static final class FeedProvider implements DiscoveryProvider {
    private final TestProvider inventory;
    private final List<Discovery> applied = new CopyOnWriteArrayList<>();
    private volatile Optional<ChangeFeedStatus> feed = Optional.empty();

    FeedProvider(TestProvider inventory) {
      this.inventory = inventory;
    }

    @Override
    public String name() {
      return "azure";
    }

    @Override
    public Discovery discover() throws DiscoveryException {
      return inventory.discover();
    }

    @Override
    public void applied(Discovery discovery) {
      applied.add(discovery);
    }

    @Override
    public Optional<ChangeFeedStatus> changeFeed() {
      return feed;
    }
  }

  private ControlLoop loop(SnapshotValidator validator) {
    loop =
        ControlLoop.builder(
                provider, TranslationFunction.of(MeshConfig.defaults()), (resources, at) -> {})
            .clock(clock)
            .validator(validator)
            .events(events)
            .build();
    return loop;
  }

  private static Instance vm(String name, String ip) {
    return Instance.builder(name, name, ip)
        .tags(Map.of("mesh-service", "web", "mesh-port", "8080"))
        .build();
  }

  private static ChangeFeedStatus feed(ChangeFeedStatus.State state, Optional<String> cause) {
    return new ChangeFeedStatus(QUEUE, state, cause, START, 0, 0, 0, 0, 0, 0, Optional.empty());
  }

  @Test
  void refresh_tellsTheProviderItsDiscoveryWasAppliedWhetherPublishedOrUnchanged() {
    provider.inventory.set(List.of(vm("web-1", "10.0.0.1")));
    ControlLoop loop = loop(SnapshotValidator.envoyRules());

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.PUBLISHED);
    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.UNCHANGED);

    assertThat(provider.applied).hasSize(2);
    assertThat(provider.applied.get(0).instances())
        .extracting(Instance::name)
        .containsExactly("web-1");
  }

  @Test
  void rejectedSnapshot_isNotApplied() {
    provider.inventory.set(List.of(vm("web-1", "10.0.0.1")));
    ControlLoop loop = loop(resources -> List.of("cluster web: rejected by the test"));

    assertThat(loop.refreshNow()).isEqualTo(RefreshOutcome.REJECTED);

    assertThat(provider.applied).isEmpty();
  }

  @Test
  void changeFeedFailingAndReadingAgain_areEventsOnceEach() {
    provider.inventory.set(List.of(vm("web-1", "10.0.0.1")));
    ControlLoop loop = loop(SnapshotValidator.envoyRules());
    provider.feed = Optional.of(feed(ChangeFeedStatus.State.STARTING, Optional.empty()));
    loop.refreshNow();
    provider.feed = Optional.of(feed(ChangeFeedStatus.State.READING, Optional.empty()));
    loop.refreshNow();
    provider.feed =
        Optional.of(
            feed(
                ChangeFeedStatus.State.FAILING,
                Optional.of("not found: HTTP 404 QueueNotFound; the queue was deleted")));
    loop.refreshNow();
    loop.refreshNow();
    provider.feed = Optional.of(feed(ChangeFeedStatus.State.READING, Optional.empty()));
    loop.refreshNow();

    assertThat(events.since(0))
        .filteredOn(e -> e.kind().name().startsWith("CHANGE_FEED"))
        .extracting(MeshEvent::kind, MeshEvent::subject, MeshEvent::reason)
        .containsExactly(
            tuple(MeshEvent.Kind.CHANGE_FEED_READING, QUEUE, "reading"),
            tuple(
                MeshEvent.Kind.CHANGE_FEED_FAILING,
                QUEUE,
                "not found: HTTP 404 QueueNotFound; the queue was deleted; discovery polls at the"
                    + " shorter interval meanwhile"),
            tuple(MeshEvent.Kind.CHANGE_FEED_READING, QUEUE, "answers again since " + START));
    assertThat(loop.changeFeed()).isEqualTo(provider.feed);
  }
}
