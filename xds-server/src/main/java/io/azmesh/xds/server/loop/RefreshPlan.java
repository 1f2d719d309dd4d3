package io.azmesh.xds.server.loop;

import io.azmesh.xds.server.loop.DiscoveryStatus.HeldRemoval;
import io.azmesh.xds.translator.Translation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of planning one refresh: what to publish and the state to remember if it is.
 *
 * @param translation the resources and instance states to publish
 * @param next the serving state once this plan is published
 * @param held mass removals held back by this plan
 * @param services the services this plan planned, the others carried over unchanged; empty when it
 *     planned every service
 * @param work what the plan looked at
 */
record RefreshPlan(
    Translation translation,
    ServingState next,
    List<HeldRemoval> held,
    Optional<Set<String>> services,
    Work work) {
  RefreshPlan {
    Objects.requireNonNull(translation, "translation");
    Objects.requireNonNull(next, "next");
    held = List.copyOf(held);
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(work, "work");
  }

  /**
   * What one plan looked at: the measure of its cost that tests hold to, not a timing.
   *
   * @param services services planned
   * @param endpoints endpoints and instances looked at to find what to plan
   * @param instancesTranslated instances the translation built again; -1 when it does not count
   * @param servicesTranslated services the translation built again; -1 when it does not count
   */
  record Work(int services, int endpoints, int instancesTranslated, int servicesTranslated) {}
}
