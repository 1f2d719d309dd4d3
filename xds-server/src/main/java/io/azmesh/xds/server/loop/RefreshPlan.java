package io.azmesh.xds.server.loop;

import io.azmesh.xds.server.loop.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.translator.Translation;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of planning one refresh: what to publish and the state to remember if it is.
 *
 * @param translation the resources and instance states to publish
 * @param next the serving state once this plan is published
 * @param held mass removals held back by this plan
 */
record RefreshPlan(Translation translation, ServingState next, List<HeldRemoval> held) {
  RefreshPlan {
    Objects.requireNonNull(translation, "translation");
    Objects.requireNonNull(next, "next");
    held = List.copyOf(held);
  }
}
